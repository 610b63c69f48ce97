"""Stop on the first non-finite loss, before it reaches the weights, and keep the last good state."""
import torch
from mmaction.registry import HOOKS
from mmengine.dist import all_reduce, is_distributed
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper


class NonFiniteLossError(FloatingPointError):
    """The loss of a training iteration is NaN or infinite."""


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Raise :class:`NonFiniteLossError` with the iteration and every loss term, and save
    ``<work_dir>/last_good_iter_<i>.pth`` first.

    Why the check sits in ``parse_losses``: MMEngine's ``train_step`` runs forward, backward and the
    optimizer step in one call, and after the step a NaN gradient has already reached the weights
    (with ``clip_grad`` every weight becomes NaN). ``parse_losses`` is the one point between forward
    and backward that every model shares, so the hook wraps it on the model instance: when the loss
    is not finite, the weights and the optimizer state are still those of the last good step, and
    that is what gets saved. (``--resume`` still continues from the last epoch checkpoint; the saved
    file is for ``load_from`` and for inspection.)
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        parse_losses = model.parse_losses

        def checked_parse_losses(losses):
            loss, log_vars = parse_losses(losses)
            bad = torch.tensor(0. if torch.isfinite(loss.detach()).all() else 1., device=loss.device)
            if is_distributed():  # every rank must stop, or the others wait forever in the next all-reduce
                all_reduce(bad, op='max')
            if bad.item():
                self._stop(runner, loss, log_vars)
            return loss, log_vars

        model.parse_losses = checked_parse_losses  # instance attribute: shadows the method for this model only

    def _stop(self, runner, loss, log_vars) -> None:
        iteration = runner.iter + 1  # 1-based, as the logs count
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        terms = ', '.join(f'{k}={float(torch.as_tensor(v).detach()):.4g}' for k, v in log_vars.items())
        filename = f'last_good_iter_{runner.iter}.pth'
        runner.save_checkpoint(
            runner.work_dir, filename, save_optimizer=True, save_param_scheduler=True, by_epoch=False)
        weights_ok = all(torch.isfinite(p).all() for p in model.parameters())
        note = '' if weights_ok else ' (its weights are already non-finite: an earlier step diverged)'
        lr = runner.optim_wrapper.get_lr()
        lr = ', '.join(f'{k}={v[0]:.3g}' for k, v in lr.items()) if isinstance(lr, dict) else lr
        raise NonFiniteLossError(
            f'non-finite loss at iteration {iteration} (epoch {runner.epoch + 1}): {terms}; {lr}; the weights '
            f'before this step are saved in {runner.work_dir}/{filename}{note}; lower the lr or enable clip_grad')
