// The names the Python course uses (`AutoModelForTokenClassification.from_pretrained(...)`), so a
// reader can follow both side by side. Only the BERT architecture exists here, so each alias names
// the BERT class directly.

/// `AutoModel`: the bare encoder.
public typealias AutoModel = BertModel
/// `AutoModelForTokenClassification`: BERT with a per-token classifier.
public typealias AutoModelForTokenClassification = BertForTokenClassification
/// `AutoModelForSequenceClassification`: BERT with a classifier on the pooled [CLS] vector.
public typealias AutoModelForSequenceClassification = BertForSequenceClassification
