"""kfront on the engine named by KFRONT_BACKEND, timed through its own ``fit``."""
import kfront

import frontend
import workloads as W

def run(name, steps, engine):
    x, y = W.make_data(name, steps)
    bs = W.batch_size(name)
    if name == "dataloader":
        # fit takes arrays, generators and PyDataset: the loader goes in wrapped in a generator.
        feed = frontend.generator_feed(frontend.native_loader(engine, x, y, bs))
    else:
        feed = frontend.array_feed(x, y, bs)
    return frontend.run(kfront, name, steps, feed)
