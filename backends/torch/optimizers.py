"""Fused optimizer updates on torch: one ``torch._foreach_*`` call per arithmetic step for
all variables, instead of a Python loop of small ops per variable.

Each kernel is ``fn(optimizer, grads, variables, lr)`` and computes what the generic rule
in ``kfront/optimizers/<name>.py`` computes. Most keep its order of floating-point
operations, so both give identical weights; ``adam`` regroups them to update in place, and
agrees to float32 rounding. The optimizer calls them
through the adapter's ``optimizer_kernels``; iterations, clipping, weight decay and
constraints stay in the generic ``Optimizer.apply``.
"""
import functools

import torch

from kfront.backends.torch.core import without_grad

__all__ = ["optimizer_kernels"]


def _prepare(grads, variables, lr):
    """(parameter tensors, gradients in their dtype, lr as a 0-d tensor or float), or None
    when the variables mix dtypes (then the generic rule runs)."""
    params = [v._storage for v in variables]
    dtype = params[0].dtype
    if any(p.dtype != dtype for p in params):
        return None
    grads = [g if g.dtype == dtype else g.to(dtype) for g in grads]
    if isinstance(lr, torch.Tensor) and lr.is_cpu and not torch.compiler.is_compiling():
        # A Python scalar: the fused ops then take their scalar overloads (a compiled step
        # keeps the tensor: reading it would split the graph).
        lr = float(lr)
    elif isinstance(lr, torch.Tensor):
        lr = lr if lr.dtype == dtype else lr.to(dtype)
    else:
        lr = float(lr)
    return params, grads, lr


def _host_updates(optimizer):
    """The count of completed updates as a Python int when the counter is in host memory,
    where reading it costs no device sync (torch.optim.Adam reads its CPU step the same
    way); None on an accelerator, where the count stays a tensor."""
    updates = optimizer._completed_updates()
    return int(updates) if updates.is_cpu else None


def _storages(slots, variables, optimizer):
    return [s._storage for s in optimizer._slots_for(slots, variables)]


def _scaled(tensors, factor):
    """``[t * factor for t in tensors]``; ``factor`` a float or a 0-d tensor."""
    return torch._foreach_mul(tensors, factor)


def _fused(rule):
    """A kernel from ``rule(optimizer, params, grads, lr, variables)``, which runs under
    ``no_grad`` on prepared tensors; variables of mixed dtypes take the generic rule."""
    @functools.wraps(rule)
    def kernel(optimizer, grads, variables, lr):
        prepared = _prepare(grads, variables, lr)
        if prepared is None:
            return optimizer.update(grads, variables, lr)
        params, grads, lr = prepared
        without_grad(rule, optimizer, params, grads, lr, variables)
    return kernel


@_fused
def sgd(optimizer, params, grads, lr, variables):
    lr_g = _scaled(grads, lr)
    if not optimizer.momentum:
        torch._foreach_sub_(params, lr_g)
        return
    ms = _storages(optimizer.momentums, variables, optimizer)
    torch._foreach_mul_(ms, optimizer.momentum)
    torch._foreach_sub_(ms, lr_g)
    if optimizer.nesterov:
        step = _scaled(ms, optimizer.momentum)
        torch._foreach_sub_(step, lr_g)
        torch._foreach_add_(params, step)
    else:
        torch._foreach_add_(params, ms)


@_fused
def adam(optimizer, params, grads, lr, variables):
    # Seven passes over the weights and one temporary, as torch.optim.Adam(foreach=True):
    # on CPU each fresh temporary the size of the weights costs page faults, so the
    # updates run in place. The algebra is the generic rule's, with its operations
    # regrouped (m lerps towards g; u is scaled and accumulates g*g; alpha divides the
    # denominator), so the weights agree with it to float32 rounding.
    alpha = optimizer.step_size(lr, _host_updates(optimizer) if isinstance(lr, float) else None)
    ms = _storages(optimizer.momentums, variables, optimizer)
    us = _storages(optimizer.velocities, variables, optimizer)
    torch._foreach_lerp_(ms, grads, 1.0 - optimizer.beta_1)
    torch._foreach_mul_(us, optimizer.beta_2)
    torch._foreach_addcmul_(us, grads, grads, 1.0 - optimizer.beta_2)
    if optimizer.amsgrad:
        hats = _storages(optimizer.velocity_hats, variables, optimizer)
        torch._foreach_maximum_(hats, us)
        us = hats
    # v -= m / ((sqrt(u) + epsilon) / alpha)
    denominator = torch._foreach_sqrt(us)
    torch._foreach_add_(denominator, optimizer.epsilon)
    torch._foreach_div_(denominator, alpha)
    torch._foreach_addcdiv_(params, ms, denominator, -1.0)


@_fused
def rmsprop(optimizer, params, grads, lr, variables):
    rho = optimizer.rho
    vels = _storages(optimizer.velocities, variables, optimizer)
    # u = rho * u + (1 - rho) * g^2
    torch._foreach_mul_(vels, rho)
    squares = torch._foreach_mul(grads, grads)
    torch._foreach_mul_(squares, 1.0 - rho)
    torch._foreach_add_(vels, squares)
    if optimizer.centered:
        ags = _storages(optimizer.average_gradients, variables, optimizer)
        torch._foreach_mul_(ags, rho)
        torch._foreach_add_(ags, _scaled(grads, 1.0 - rho))
        denominator = torch._foreach_sub(vels, torch._foreach_mul(ags, ags))
        torch._foreach_add_(denominator, optimizer.epsilon)
    else:
        denominator = torch._foreach_add(vels, optimizer.epsilon)
    increment = _scaled(grads, lr)
    torch._foreach_div_(increment, torch._foreach_sqrt(denominator))
    if optimizer.momentum > 0:
        ms = _storages(optimizer.momentums, variables, optimizer)
        torch._foreach_mul_(ms, optimizer.momentum)
        torch._foreach_add_(ms, increment)
        torch._foreach_sub_(params, ms)
    else:
        torch._foreach_sub_(params, increment)


@_fused
def adagrad(optimizer, params, grads, lr, variables):
    accs = _storages(optimizer.accumulators, variables, optimizer)
    # a += g^2; v -= lr * g / sqrt(a + epsilon)
    torch._foreach_add_(accs, torch._foreach_mul(grads, grads))
    step = _scaled(grads, lr)
    denominator = torch._foreach_add(accs, optimizer.epsilon)
    torch._foreach_sqrt_(denominator)
    torch._foreach_div_(step, denominator)
    torch._foreach_sub_(params, step)


@_fused
def lion(optimizer, params, grads, lr, variables):
    b1, b2 = optimizer.beta_1, optimizer.beta_2
    ms = _storages(optimizer.momentums, variables, optimizer)
    # v -= lr * sign(m * beta_1 + g * (1 - beta_1))
    direction = _scaled(ms, b1)
    torch._foreach_add_(direction, _scaled(grads, 1.0 - b1))
    torch._foreach_sign_(direction)
    torch._foreach_sub_(params, _scaled(direction, lr))
    # m = m * beta_2 + g * (1 - beta_2)
    torch._foreach_mul_(ms, b2)
    torch._foreach_add_(ms, _scaled(grads, 1.0 - b2))


optimizer_kernels = {"sgd": sgd, "adam": adam, "rmsprop": rmsprop, "adagrad": adagrad,
                     "lion": lion}
