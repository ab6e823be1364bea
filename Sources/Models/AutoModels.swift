import Foundation
import Hub

// The names the Python course uses (`AutoModelForTokenClassification.from_pretrained(...)`), so a
// reader can follow both side by side. As in transformers, `fromPretrained` picks the
// architecture from config.json's `model_type` ("bert" or "distilbert"; anything else is an
// error naming these): the BERT classes are the Auto classes, and for a DistilBERT checkpoint
// they return the DistilBERT subclass (`DistilBertForSequenceClassification`, ...), which the
// Trainer, pipelines and Accelerator take like any BERT model.

/// `AutoConfig`: `AutoConfig.fromPretrained(name)` reads config.json by its `model_type`.
public enum AutoConfig {
    /// The configuration of a model name or directory (BERT or DistilBERT keys).
    public static func fromPretrained(_ name: String, hub: Hub = .shared) throws -> BertConfig {
        let dir: URL
        do { dir = try hub.snapshot(of: name, files: ["config.json"]) } catch let e as HubError {
            throw ModelError("cannot load the config of '\(name)': \(e.description)")
        }
        return try BertConfig.load(dir.appendingPathComponent("config.json"))
    }
}

/// `AutoModel`: the bare encoder (BERT or DistilBERT layout by `model_type`).
public typealias AutoModel = BertModel
/// `AutoModelForTokenClassification`: a per-token classifier (`DistilBertForTokenClassification`
/// for a DistilBERT checkpoint).
public typealias AutoModelForTokenClassification = BertForTokenClassification
/// `AutoModelForSequenceClassification`: a classifier on the [CLS] vector
/// (`DistilBertForSequenceClassification` for a DistilBERT checkpoint).
public typealias AutoModelForSequenceClassification = BertForSequenceClassification
