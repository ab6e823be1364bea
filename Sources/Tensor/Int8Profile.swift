import Foundation

/// Where the time of int8 products goes (`bench infer --int8 --profile`): seconds spent
/// quantising activations (range and u8 passes), in oneDNN's int8 matmul, and the number of
/// products, summed while `enabled`. Off by default: then nothing is timed.
public enum Int8Profile {
    nonisolated(unsafe) public static var enabled = false
    nonisolated(unsafe) public static var quantizeSeconds = 0.0
    nonisolated(unsafe) public static var gemmSeconds = 0.0
    nonisolated(unsafe) public static var products = 0

    /// Clears the sums.
    public static func reset() { quantizeSeconds = 0; gemmSeconds = 0; products = 0 }

    @inline(__always) static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
