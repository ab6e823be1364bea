"""Golden bytes of TensorBoard event records, from the real writers on PyPI.

Produces Tests/TrainingTests/Fixtures/tensorboard_records.json: the CRC-32C and masked CRC of
"123456789", and the framed records (hex) that `tensorboard`'s RecordWriter writes for
  1. the first event of every file: wall_time 1700000000.5, file_version "brain.Event:2";
  2. a scalar, as torch.utils.tensorboard's `add_scalar("train/loss", 0.6931, 50)` makes it
     (Summary.Value.simple_value, a float32), wall_time 1700000001.25;
  3. a text summary, as `add_text("args", '{"learning_rate": 5e-05}')` makes it (tag
     "args/text_summary", plugin "text", a DT_STRING tensor of shape [1]), step 0,
     wall_time 1700000002.0;
  4. a scalar at a large step with a negative value: "eval/loss", -1.5, step 300000.
The Swift TensorBoard writer's tests compare its bytes with these.
Needs: torch, tensorboard (the project's venv).
Run:   /work/venv/bin/python Scripts/tensorboard_fixtures.py
"""
import io
import json
import os

from tensorboard.compat.proto.event_pb2 import Event
from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c, crc32c
from tensorboard.summary.writer.record_writer import RecordWriter
from torch.utils.tensorboard.summary import scalar, text


def framed(event):
    buf = io.BytesIO()
    RecordWriter(buf).write(event.SerializeToString())
    return buf.getvalue().hex()


def main():
    records = [
        {"name": "file_version", "hex": framed(Event(wall_time=1700000000.5, file_version="brain.Event:2"))},
        {"name": "scalar", "hex": framed(Event(wall_time=1700000001.25, step=50, summary=scalar("train/loss", 0.6931)))},
        {"name": "text", "hex": framed(Event(wall_time=1700000002.0, step=0,
                                             summary=text("args", '{"learning_rate": 5e-05}')))},
        {"name": "scalar_large_step", "hex": framed(Event(wall_time=1700000003.0, step=300000,
                                                          summary=scalar("eval/loss", -1.5)))},
    ]
    out = {"crc32c_123456789": crc32c(b"123456789"), "masked_crc32c_123456789": masked_crc32c(b"123456789"),
           "records": records}
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "Tests", "TrainingTests", "Fixtures", "tensorboard_records.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
