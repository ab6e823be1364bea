import Testing
@testable import Training

@Test func trainingModuleBuilds() {
    #expect(Bool(true))
}
