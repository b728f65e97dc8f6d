#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes a dense supervised fastText model as fastText 0.9's `saveModel` does (FORMATS.md §2): magic,
/// version 12, the arguments, the dictionary, then the input and output matrices as f32 rows. fastText
/// loads the file and predicts with it; a `.bin` that fastText wrote is written back byte for byte.
public enum FastTextModelWriter {
    public static func write(_ model: FastTextModel, to url: URL) throws(ModelFileError) {
        let path = url.path
        guard case let .dense(_, _, inputValues) = model.input, case let .dense(_, _, outputValues) = model.output else {
            throw ModelFileError(path: path, "the model is quantized (.ftz); only dense models are written",
                                 hint: "write the .bin the model was quantized from")
        }
        // Little-endian hosts only (every platform Swift ships for): floats are written as they lie in memory.
        var header: [UInt8] = []
        append(FastTextModel.magic, to: &header)
        append(FastTextModel.version, to: &header)
        for field in model.arguments.fields { append(field, to: &header) }
        append(model.arguments.t.bitPattern, to: &header)
        let dictionary = model.dictionary
        append(Int32(dictionary.entries.count), to: &header)
        append(Int32(dictionary.wordCount), to: &header)
        append(Int32(dictionary.labelCount), to: &header)
        append(dictionary.tokenCount, to: &header)
        append(Int64(-1), to: &header)
        for entry in dictionary.entries {
            header += dictionary.bytes[entry.start..<entry.end]
            header.append(0)
            append(entry.count, to: &header)
            header.append(entry.isLabel ? 1 : 0)
        }
        header.append(0)  // quant_input
        append(Int64(model.input.rows), to: &header)
        append(Int64(model.input.columns), to: &header)

        var middle: [UInt8] = [0]  // qout
        append(Int64(model.output.rows), to: &middle)
        append(Int64(model.output.columns), to: &middle)

        let temporary = path + ".tmp-\(getpid())"
        guard let handle = fopen(temporary, "wb") else {
            throw ModelFileError(path: path, "cannot create \(temporary): \(String(cString: strerror(errno)))", hint: "check that the folder exists and is writable")
        }
        var written = fwrite(header, 1, header.count, handle) == header.count
        written = written && inputValues.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) == $0.count }
        written = written && fwrite(middle, 1, middle.count, handle) == middle.count
        written = written && outputValues.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) == $0.count }
        let closed = fclose(handle) == 0
        guard written && closed else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ModelFileError(path: path, "writing failed: \(reason)", hint: "check the free space and permissions")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ModelFileError(path: path, "cannot rename \(temporary) into place: \(reason)", hint: "check the folder's permissions")
        }
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
