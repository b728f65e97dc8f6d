import ArgumentParser
import Corpus
import Curriculum
import Foundation

/// `syllabus adjust PLAN.yaml --stage S --eval FILE`: the dynamic topic-ratio update (SPEC.md §4).
struct AdjustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Update a stage's topic ratios from per-topic perplexities (Llama-3-SynE's rule), into the plan.",
        discussion: """
            For every mixture group of the stage before --stage that divides by topic (or the plan's \
            `adjust: {by: …}`), with p_i(t−1) and p_i(t) from the evaluation file:
              Δp_i = p_i(t) − p_i(t−1);  δ_i = Δp_i / max|Δp|;  f_i = 1 + α·δ_i·w_i;
              r_i(t) = r_i(t−1)·f_i / Σ_j r_j(t−1)·f_j
            then floors and ceilings (plan `adjust: {floor: …, ceiling: …}`) are applied. A topic whose \
            perplexity rose (it is being forgotten) gets more data. The result is appended to the plan's \
            `adjustments:` list with its inputs, as history; `syllabus plan` uses the latest per stage and group.

            The evaluation file (YAML or JSON):
              previous: {Law and Policy: 8.1, Others: 9.0}   # p_i(t−1)
              current:  {Law and Policy: 8.4, Others: 8.7}   # p_i(t)
            Scope topics by their group when names repeat: current: {"language=en": {Others: 8.7}, …}

            Example:
              syllabus adjust examples/plans/llama3-syne-mini.yaml --stage 2 --eval examples/plans/eval-after-stage-1.yaml
            """)

    @Argument(help: "The plan file (YAML); the update is appended to it.")
    var plan: String

    @Option(help: "The stage that gets the new ratios: its name or number (1-based); the stage before it supplies r(t−1).")
    var stage: String

    @Option(name: .customLong("eval"), help: "Per-topic perplexities before and after the period (YAML/JSON).")
    var evaluation: String

    @Option(help: "α, the step size (default: the plan's adjust.alpha, else 0.5).")
    var alpha: Double?

    @Flag(help: "Print the update without writing the plan.")
    var dryRun = false

    func run() throws {
        do {
            let plan = try CurriculumPlan.load(path: self.plan)
            guard let index = plan.stages.firstIndex(where: { $0.name == stage }) ?? Int(stage).map({ $0 - 1 }),
                  plan.stages.indices.contains(index) else {
                throw ValidationError("--stage \(stage): no such stage (stages: \(plan.stages.enumerated().map { "\($0.offset + 1) \($0.element.name)" }.joined(separator: ", ")))")
            }
            var policy = plan.adjustPolicy
            if let alpha { policy.alpha = alpha }
            let adjuster = PlanAdjuster(plan: plan, stage: index, evaluation: try .load(path: evaluation), policy: policy)
            let updates = try adjuster.compute()
            for entry in updates {
                print("\(plan.stages[index].name) · \(entry.group) (α = \(entry.update.alpha)):")
                print("  topic                                      Δp       δ       f    r(t−1) →   r(t)")
                for topic in entry.update.topics {
                    let name = topic.name.count > 38 ? String(topic.name.prefix(37)) + "…" : topic.name
                    print(String(format: "  %@ %+8.3f %+7.3f %7.3f   %6.4f → %6.4f", name.padding(toLength: 38, withPad: " ", startingAt: 0),
                                 topic.delta, topic.normalizedDelta, topic.factor, topic.previousRatio, topic.ratio))
                }
            }
            if dryRun { return }
            try adjuster.write(updates)
            print("appended \(updates.count) update(s) to \(self.plan) (adjustments:)")
        } catch let error as ConfigError {
            throw CommandFailure.report(error, code: 2)
        } catch let error as PlanError {
            throw CommandFailure.report(error, code: 3)
        }
    }
}
