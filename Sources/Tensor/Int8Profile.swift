import Foundation

/// Where the time of int8 products goes (`bench infer --int8 --profile`): seconds spent
/// quantising activations (range and u8 passes), in oneDNN's int8 matmul, and the number of
/// products, summed while `enabled`. Off by default: then nothing is timed.
public enum Int8Profile {
    /// Whether products are timed (one branch per product when off).
    nonisolated(unsafe) public static var enabled = false
    /// Seconds in the activation passes: the range, then the u8 quantisation.
    nonisolated(unsafe) public static var quantizeSeconds = 0.0
    /// Seconds in oneDNN's int8 matmul (post-ops included).
    nonisolated(unsafe) public static var gemmSeconds = 0.0
    /// int8 products timed.
    nonisolated(unsafe) public static var products = 0

    /// Clears the sums.
    public static func reset() { quantizeSeconds = 0; gemmSeconds = 0; products = 0 }

    @inline(__always) static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
