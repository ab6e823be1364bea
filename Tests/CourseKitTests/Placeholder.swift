import Testing
@testable import CourseKit

@Test func courseKitBuilds() { #expect(Bool(true)) }
