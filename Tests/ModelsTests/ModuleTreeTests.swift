import Foundation
@testable import Models
import Testing

/// `print(model)` against what PyTorch prints for the same configurations
/// (Fixtures/module_tree.json, from Scripts/fixtures/models_module_tree_fixtures.py).
@Suite struct ModuleTreeTests {
    struct Case: Decodable {
        let name: String
        let kind: String
        let printed: String
    }

    /// The fixture's config; the toolkit only runs `gelu`, so another `hidden_act` is read as
    /// gelu and set afterwards (printing must still name the right module).
    func config(_ index: Int) throws -> BertConfig {
        let data = try Data(contentsOf: fixtureURL("module_tree.json"))
        let all = try #require(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        var raw = try #require(all[index]["config"] as? [String: Any])
        let act = raw["hidden_act"] as? String ?? "gelu"
        raw["hidden_act"] = "gelu"
        var config = try JSONDecoder().decode(BertConfig.self, from: JSONSerialization.data(withJSONObject: raw))
        config.hiddenAct = act
        return config
    }

    @Test func printsLikePyTorch() throws {
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: fixtureURL("module_tree.json")))
        #expect(cases.count == 5)
        for (i, c) in cases.enumerated() {
            let config = try config(i)
            let printed: String
            switch c.kind {
            case "sequence": printed = BertForSequenceClassification(config: config).description
            case "token": printed = BertForTokenClassification(config: config).description
            default: printed = BertModel(config: config).description
            }
            #expect(printed == c.printed, "\(c.name)")
            if printed != c.printed {
                let a = printed.split(separator: "\n"), b = c.printed.split(separator: "\n")
                if let j = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) { print(c.name, "line", j, a[j], "|", b[j]) }
            }
        }
    }

    @Test func pythonFloatRepr() {
        #expect(pythonFloat(0.1) == "0.1")
        #expect(pythonFloat(0) == "0.0")
        #expect(pythonFloat(1e-12) == "1e-12")
        #expect(pythonFloat(1e-5) == "1e-05")
        #expect(pythonFloat(0.25) == "0.25")
    }
}
