// What this VM's second core costs memory-bound work: a random pointer chase over a working set of a given
// size, timed alone and then as two processes at once (Benchmarks/cache_contention.sh). A working set that
// misses the private L2 but fits a shared cache slows down when the other core is busy; pure arithmetic
// does not. `syllabus tokenize`'s encoders read tables of a few MB (Qwen's vocabulary slots are 4 MiB),
// which is why two workers fall short of 2x one worker here even with nothing shared between them.
//
//   swiftc -O Benchmarks/cache_contention.swift -o /tmp/cache_contention
//   /tmp/cache_contention BYTES [STEPS]      prints "BYTES bytes: N.N ns per step"
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 2, let bytes = Int(arguments[1]), bytes >= 64 else {
    print("usage: cache_contention BYTES [STEPS]")
    exit(2)
}
let steps = arguments.count > 2 ? Int(arguments[2]) ?? 20_000_000 : 20_000_000
let count = bytes / MemoryLayout<Int>.stride
// One cycle through every slot (Sattolo's shuffle), so the chase visits the whole working set.
var next = [Int](0..<count)
var state: UInt64 = 0x9E37_79B9_7F4A_7C15
for i in stride(from: count - 1, to: 0, by: -1) {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    next.swapAt(i, Int((state >> 33) % UInt64(i)))
}
var position = 0
var start = timespec(), end = timespec()
clock_gettime(CLOCK_MONOTONIC, &start)
next.withUnsafeBufferPointer { table in
    for _ in 0..<steps { position = table[position] }
}
clock_gettime(CLOCK_MONOTONIC, &end)
let nanoseconds = Double(end.tv_sec - start.tv_sec) * 1e9 + Double(end.tv_nsec - start.tv_nsec)
let perStep = (nanoseconds / Double(steps) * 10).rounded() / 10
print("\(bytes) bytes: \(perStep) ns per step (end \(position))")
