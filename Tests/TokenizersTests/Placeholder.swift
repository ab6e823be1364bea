import Testing
@testable import Tokenizers

@Test func tokenizersModuleBuilds() {
    #expect(Bool(true))
}
