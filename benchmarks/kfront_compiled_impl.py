"""kfront with ``compile(jit_compile=True)``: torch.compile'd steps on torch, XLA on JAX
and TensorFlow."""
import kfront_impl


def run(name, steps, engine):
    return kfront_impl.run(name, steps, engine, jit_compile=True)
