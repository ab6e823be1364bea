import Testing
@testable import Metrics

@Test func metricsModuleBuilds() {
    #expect(Bool(true))
}
