import Foundation
import FuzzDriver
@testable import Tokenizers

// tokenizer.json or vocab.txt from arbitrary bytes; a tokenizer that loads then encodes a few
// texts (a pair, truncation and padding too), since a strange vocabulary can break encoding
// rather than loading. The first byte chooses: even → tokenizer.json, odd → vocab.txt.
let texts = ["Hello, World! Straße café 東京 ##ing [CLS] [UNK]", "a", "", "don't  stop\tnow\u{0}\u{301}"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let body = Data(bytes: start + 1, count: count - 1)
    let tokenizer: Tokenizer?
    if start[0] % 2 == 0 {
        tokenizer = try? Tokenizer(tokenizerJSONData: body, url: URL(fileURLWithPath: "/fuzz/tokenizer.json"), config: [:])
    } else {
        tokenizer = try? Tokenizer(vocabText: String(decoding: body, as: UTF8.self), vocabFile: URL(fileURLWithPath: "/fuzz/vocab.txt"),
                                   doLowerCase: start[0] & 2 == 0, stripAccents: nil, tokenizeChineseChars: true,
                                   specialTokens: ("[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"))
    }
    guard let tokenizer else { return 0 }
    for text in texts {
        if let ids = try? tokenizer.encode(text, texts[0]) { _ = tokenizer.decode(ids) }
        _ = try? tokenizer.tokenize(text)
    }
    _ = try? tokenizer(texts, truncation: true, maxLength: 8, padding: true)
    _ = try? tokenizer(["Hello", "Wörld", ""], ["b"], isSplitIntoWords: true, truncation: true, maxLength: 5)
    return 0
}

exit(fuzzDriverMain(CommandLine.argc, CommandLine.unsafeArgv))
