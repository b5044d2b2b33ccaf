# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# Every Brazilian provider of this project charges in reais.
SUPPORTED_CURRENCIES = ("BRL",)
