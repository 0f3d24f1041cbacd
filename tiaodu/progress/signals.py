"""What the progress app tells the apps above it, without importing them (the layer rule).

`report_reviewed` is sent by services.report_verify and services.report_return inside their
transaction, after the report is saved: `report` (the Report), `action` ("verified" or "returned") and
`user` (who did it). The supervision app connects its receiver in SupervisionConfig.ready() and tells the
reporter (tiaodu/supervision/services/reporting.py). Receivers only notify; they decide nothing about
the report.
"""

from django.dispatch import Signal

VERIFIED = "verified"
RETURNED = "returned"

report_reviewed = Signal()
