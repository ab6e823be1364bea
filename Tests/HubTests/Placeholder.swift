import Testing
@testable import Hub

@Test func hubModuleBuilds() {
    #expect(Bool(true))
}
