/// Stop word lists for the Gopher quality rule "at least N distinct stop words".
public enum StopWords {
    /// datatrove 0.10.1's default for `GopherQualityFilter` (the Gopher paper's list), matched case-sensitively.
    public static let english = ["the", "be", "to", "of", "and", "that", "have", "with"]

    /// Common Chinese function characters, each a word under the character segmentation. All are entries of
    /// spaCy's Chinese stop word list (`spacy/lang/zh/stop_words.py`, spaCy 3.8, MIT license); the selection
    /// keeps single characters, since a multi-character entry can never equal one segmented word.
    public static let chinese = [
        "的", "了", "是", "在", "和", "有", "我", "不", "这", "也", "就", "都", "而", "与", "及", "或", "之", "其",
        "为", "以", "被", "他", "她", "它", "们", "个", "上", "到", "要", "会", "对", "从", "把", "等", "将", "于",
        "由", "但", "并", "还", "又", "很", "所", "着", "过", "地", "得", "你", "那", "没", "吗", "呢", "吧", "啊",
    ]

    static func defaults(for language: FilterLanguage) -> [String] {
        switch language {
        case .en: return english
        case .zh: return chinese
        }
    }
}
