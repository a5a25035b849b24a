"""The one place kfront.tuners imports Optuna, which does the searching and pruning."""


def optuna():
    try:
        import optuna as module
    except ImportError:
        raise ImportError('kfront.tuners searches with Optuna: pip install "kfront[tune]".'
                          ) from None
    module.logging.set_verbosity(module.logging.WARNING)
    return module
