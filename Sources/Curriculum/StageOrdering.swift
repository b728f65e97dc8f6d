/// Puts a stage's selected documents in training order: seeded random, by perplexity (ascending is
/// easy→hard), or as selected; over the whole stage, or per source with sources one after another or
/// interleaved so each is spread evenly through the stage.
struct StageOrdering {
    let stage: PlanStage
    let plan: CurriculumPlan
    let catalogs: [SourceCatalog?]

    typealias Entry = StageResult.Entry

    func order(_ selected: [[UInt32]]) throws -> [Entry] {
        let order = stage.order
        if order.usesPPL { try checkPPL(selected) }
        switch order.scope {
        case .stage:
            var entries = selected.enumerated().flatMap { source, documents in
                documents.map { Entry(source: Int32(source), document: $0) }
            }
            sort(&entries)
            return entries
        case .source:
            var lists: [[Entry]] = selected.enumerated().map { source, documents in
                var entries = documents.map { Entry(source: Int32(source), document: $0) }
                sort(&entries)
                return entries
            }
            lists.removeAll { $0.isEmpty }
            return order.interleave ? interleave(lists) : lists.flatMap { $0 }
        }
    }

    private func sort(_ entries: inout [Entry]) {
        switch stage.order.key {
        case .selection:
            return
        case .random:
            // Keyed by what the document is (source, file name, record position), not by where a catalog
            // keeps it, and by its place in the list, so a document taken twice gets two places.
            let fileHashes = catalogs.map { catalog in
                (catalog?.files ?? []).map { SeededHash.string(String($0.split(separator: "/").last ?? Substring($0))) }
            }
            var keyed = entries.enumerated().map { index, entry in
                let row = catalogs[Int(entry.source)]!.rows[Int(entry.document)]
                let identity = SeededHash.combine(fileHashes[Int(entry.source)][Int(row.file)], UInt64(row.position))
                let key = SeededHash.combine(SeededHash.combine(stage.seed, UInt64(UInt32(bitPattern: entry.source))) ^ identity, UInt64(index))
                return (key, entry)
            }
            keyed.sort { $0.0 != $1.0 ? $0.0 < $1.0 : ($0.1.source, $0.1.document) < ($1.1.source, $1.1.document) }
            entries = keyed.map(\.1)
        case .pplAscending, .pplDescending:
            let ascending = stage.order.key == .pplAscending
            let missingFirst = stage.order.missingPPL == .first
            let ppl: (Entry) -> Float = { catalogs[Int($0.source)]?.ppl(Int($0.document)) ?? .nan }
            var keyed = entries.map { (ppl($0), $0) }
            keyed.sort { a, b in
                if a.0.isNaN || b.0.isNaN {
                    if a.0.isNaN == b.0.isNaN { return (a.1.source, a.1.document) < (b.1.source, b.1.document) }
                    return a.0.isNaN == missingFirst
                }
                if a.0 != b.0 { return ascending ? a.0 < b.0 : a.0 > b.0 }
                return (a.1.source, a.1.document) < (b.1.source, b.1.document)
            }
            entries = keyed.map(\.1)
        }
    }

    /// Merges per-source lists so that at every point each source has delivered about the same fraction
    /// of its tokens: the next document comes from the list whose fraction after it would be smallest.
    private func interleave(_ lists: [[Entry]]) -> [Entry] {
        let tokens: (Entry) -> Int = { catalogs[Int($0.source)]?.tokens(Int($0.document)) ?? 0 }
        let totals = lists.map { list in max(1, list.reduce(0) { $0 + tokens($1) }) }
        var emitted = Array(repeating: 0, count: lists.count)
        var next = Array(repeating: 0, count: lists.count)
        var result: [Entry] = []
        result.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        while true {
            var best = -1
            var bestFraction = Double.infinity
            for index in lists.indices where next[index] < lists[index].count {
                let entry = lists[index][next[index]]
                let fraction = (Double(emitted[index]) + Double(tokens(entry)) / 2) / Double(totals[index])
                if fraction < bestFraction { best = index; bestFraction = fraction }
            }
            guard best >= 0 else { break }
            let entry = lists[best][next[best]]
            result.append(entry)
            emitted[best] += tokens(entry)
            next[best] += 1
        }
        return result
    }

    private func checkPPL(_ selected: [[UInt32]]) throws {
        guard stage.order.missingPPL == .error else { return }
        for (source, documents) in selected.enumerated() {
            guard let catalog = catalogs[source] else { continue }
            let missing = documents.filter { catalog.ppl(Int($0)).isNaN }
            guard let first = missing.first else { continue }
            let name = plan.sources[source].name
            throw PlanError(
                "stage '\(stage.name)' orders by perplexity, but \(missing.count) selected document(s) of source \(name) have none (field `\(plan.sources[source].fields["ppl"] ?? "metadata.ppl")`; first: \(catalog.files[Int(catalog.rows[Int(first)].file)]), record \(catalog.rows[Int(first)].position + 1))",
                hint: "score them, point sources.\(name).ppl_field at the field that holds it, or set `order: {by: \(stage.order.key.rawValue), missing_ppl: last}` (or first)")
        }
    }
}
