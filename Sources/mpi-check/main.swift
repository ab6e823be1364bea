import FineTuning
print("rank \(try ProcessGroup.world.rank) of \(try ProcessGroup.world.size)")
