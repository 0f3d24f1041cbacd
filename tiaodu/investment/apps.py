from django.apps import AppConfig

from tiaodu.projects import panels


class InvestmentConfig(AppConfig):
    name = "tiaodu.investment"
    verbose_name = "投资与资金"

    def ready(self):
        # --- funds: the project page's 投资与资金 panel and the ledger's three optional sheets -------------
        from tiaodu.investment.ledger_funds import register_sheets
        from tiaodu.investment.project_panel_funds import funds_panel

        panels.register(funds_panel)
        register_sheets()
        # --- end of funds
