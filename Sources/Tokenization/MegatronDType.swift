/// The token types of a Megatron-LM indexed dataset (`DType` in `indexed_dataset.py`), by their `.idx` code.
public enum MegatronDType: UInt8, Sendable, CaseIterable {
    case uint8 = 1, int8 = 2, int16 = 3, int32 = 4, int64 = 5, float64 = 6, float32 = 7, uint16 = 8

    /// Megatron's `optimal_dtype`: uint16 below 65,500 tokens, else int32.
    public static func optimal(vocabularySize: Int) -> MegatronDType {
        vocabularySize < 65_500 ? .uint16 : .int32
    }

    public var byteSize: Int {
        switch self {
        case .uint8, .int8: return 1
        case .int16, .uint16: return 2
        case .int32, .float32: return 4
        case .int64, .float64: return 8
        }
    }

    /// The largest token id the type can hold exactly (token types only).
    var maxTokenID: UInt64? {
        switch self {
        case .uint8: return 255
        case .int8: return 127
        case .int16: return 32_767
        case .uint16: return 65_535
        case .int32: return UInt64(Int32.max)
        case .int64: return UInt64(Int64.max)
        case .float32, .float64: return nil
        }
    }
}
