from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "tiaodu.investment"
    verbose_name = "投资与资金"
