"""What ``quota sweep`` prints (quota.commands.cli sweep): the points to solve, the progress bar's label, the engine
and counts at the end, an interruption, the points that failed. The charts' words are in quota.commands.sweep.
"""
from __future__ import annotations

SWEEP: dict[str, dict[str, str]] = {
    "sweep.start": {"zh": "参数扫描:  共 {total} 个取值点,{done} 个已完成,{todo} 个待求解",
                    "en": "sweep:     {total} points, {done} already done, {todo} to solve"},
    "sweep.solving": {"zh": "求解中", "en": "solving"},
    "sweep.engine": {"zh": "运行方式:  {engine};本次求解 {solved} 个,跳过 {skipped} 个(此前已完成),失败 {failed} 个,用时 {seconds} 秒",
                     "en": "engine:    {engine}; {solved} solved, {skipped} skipped (done before), {failed} failed, {seconds} s"},
    "sweep.engine_pool": {"zh": "本机 {n} 个进程", "en": "local pool of {n}"},
    "sweep.engine_dask": {"zh": "Dask 调度器 {scheduler}", "en": "dask {scheduler}"},
    "sweep.interrupted": {"zh": "已中断:已完成的取值点保存在 {folder};再次运行同一命令即可接着求解。",
                          "en": "interrupted: the points finished so far are kept in {folder}; run the same command again to resume."},
    "sweep.failed": {"zh": "{n} 个取值点求解失败,未写出;再次运行该扫描即可重试:",
                     "en": "{n} point(s) failed and were not written; run the sweep again to retry them:"},
}
