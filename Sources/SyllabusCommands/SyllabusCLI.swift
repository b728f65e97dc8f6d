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
              syllabus plan examples/plans/llama3-syne-mini.yaml
              syllabus pack --tokenizer qwen.tiktoken --stage 1 runs/example-plan --output runs/stage-1
              syllabus train-classifier --input topics.jsonl --label-field topic --output topics.bin --holdout 0.1
            """,
        subcommands: [CurateCommand.self, StatsCommand.self, TokenizeCommand.self, PackCommand.self, PlanCommand.self, AdjustCommand.self, ImportRecipeCommand.self, BuildTrainingSetCommand.self, TrainClassifierCommand.self])

    public init() {}
}
