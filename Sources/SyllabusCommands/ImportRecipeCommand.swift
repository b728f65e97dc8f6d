import ArgumentParser
import Corpus
import Curriculum
import Foundation

/// `syllabus import-recipe yulan-mini DIR --output PLAN.yaml`: a published mixture as a Syllabus plan.
struct ImportRecipeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-recipe",
        abstract: "Turn a published per-stage data mixture into a plan file (yulan-mini).",
        discussion: """
            yulan-mini: the folder of YuLan-Mini's per-stage JSON files (pretrain/datasets/data_mix in its \
            repository). Each file becomes a stage taking exactly the tokens per dataset it records; each \
            dataset becomes a source that declares the tokens all stages took. Prints what in the files \
            does not add up. Then: syllabus plan PLAN.yaml --explain

            Example:
              syllabus import-recipe yulan-mini ../shared/data/yulan-mini-data-mix --output runs/yulan-mini.yaml
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case yulanMini = "yulan-mini"
    }

    @Argument(help: "The recipe format: yulan-mini.")
    var format: Format

    @Argument(help: "The recipe folder.")
    var folder: String

    @Option(help: "The plan file to write.")
    var output: String

    @Option(help: "The plan's name.")
    var name = "yulan-mini"

    func run() throws {
        do {
            let recipe = try YuLanMiniRecipe.load(folder: folder)
            let parent = (output as NSString).deletingLastPathComponent
            if !parent.isEmpty { try FileSystem.createDirectory(parent) }
            try FileSystem.writeAtomically(Array(recipe.planYAML(name: name, sourceFolder: folder).utf8), to: output)
            let total = recipe.stages.reduce(0) { $0 + $1.tokens }
            print("wrote \(output): \(recipe.stages.count) stages, \(recipe.datasetNames.count) datasets, \(TokenCount.format(total)) tokens")
            for note in recipe.notes { print("  note: \(note)") }
        } catch let error as PlanError {
            throw CommandFailure.report(error, code: 3)
        } catch let error as CorpusError {
            throw CommandFailure.report(error, code: 1)
        }
    }
}
