import Testing
@testable import Pipelines

@Test func pipelinesModuleBuilds() {
    #expect(Bool(true))
}
