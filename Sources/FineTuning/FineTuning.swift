// The umbrella module chapter programs import: `import FineTuning` brings in the whole toolkit.
@_exported import Digest
@_exported import Hub
@_exported import Tensor
@_exported import Tokenizers
@_exported import Datasets
@_exported import Metrics
@_exported import Models
@_exported import Training
@_exported import Pipelines
@_exported import Plots
@_exported import Distributed
@_exported import Accelerate
