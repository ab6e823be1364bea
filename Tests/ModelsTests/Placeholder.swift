import Testing
@testable import Models

@Test func modelsModuleBuilds() {
    #expect(Bool(true))
}
