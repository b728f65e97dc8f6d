import Corpus

/// The steps this module provides, for the pipeline's step registry.
public enum CurationSteps {
    public static let definitions: [StepDefinition] = [
        LengthStep.definition,
        SelectStep.definition,
        SampleStep.definition,
        LanguageStep.definition,
        GopherQualityStep.definition,
        GopherRepetitionStep.definition,
        C4QualityStep.definition,
        FineWebQualityStep.definition,
        ExactDedupStep.definition,
        MinHashDedupStep.definition,
        ParagraphDedupStep.definition,
        DecontaminateStep.definition,
        ClassifyStep.definition,
        DomainStep.definition,
    ]
}
