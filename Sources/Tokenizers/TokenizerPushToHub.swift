import Hub

// `tokenizer.pushToHub("me/name")`: saved with savePretrained (tokenizer.json, its config and
// vocabulary), uploaded with the default message "Upload tokenizer", as transformers does.
extension Tokenizer: SavesPretrained {
    public var hubObjectName: String { "tokenizer" }
}
