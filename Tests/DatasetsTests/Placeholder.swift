import Testing
@testable import Datasets

@Test func datasetsModuleBuilds() {
    #expect(Bool(true))
}
