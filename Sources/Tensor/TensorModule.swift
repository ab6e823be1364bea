// Placeholder so the module builds until its implementation lands.
enum TensorModule {}
