"""``kfront.mixed_precision``: dtype policies (variables in float32, compute in float16/bfloat16)."""
