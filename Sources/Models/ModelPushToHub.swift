import Hub

// `model.pushToHub("me/name")`: the models save themselves with savePretrained (config.json,
// model.safetensors), so Hub's SavesPretrained gives them pushToHub and pushToHubDryRun.
extension BertModel: SavesPretrained {}
extension BertForTokenClassification: SavesPretrained {}
extension BertForSequenceClassification: SavesPretrained {}
