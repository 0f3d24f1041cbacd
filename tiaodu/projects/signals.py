"""What the projects app tells the apps above it, without importing them (the layer rule).

`shares_changed` is sent by `services.indicator_shares_set` and the ledger import inside their transaction,
after the shares are written: `project_ids` (the projects whose indicator shares changed). The progress app
connects its receiver in ProgressConfig.ready(): every unit holding a share becomes a reporting unit of the
project (ReportingUnit).
"""

from django.dispatch import Signal

shares_changed = Signal()
