import ArgumentParser

/// The `syllabus` command: one tool from raw corpora to training files.
public struct SyllabusCLI: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "syllabus",
        abstract: "The data engine for LLM pretraining: curate, plan, pack.",
        discussion: """
            Examples:
              syllabus curate examples/pipeline.yaml
              syllabus stats runs/example
            """,
        subcommands: [CurateCommand.self, StatsCommand.self, TokenizeCommand.self, PackCommand.self, PlanCommand.self, AdjustCommand.self, ImportRecipeCommand.self])

    public init() {}
}
