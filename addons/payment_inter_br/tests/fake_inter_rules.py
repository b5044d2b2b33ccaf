# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What Banco Inter's charge API v3 refuses, for the fake server (`fake_inter.py`).

Written from Inter's published OpenAPI spec and the request shapes of its official SDKs,
not from our client: each function returns the `violacoes` of a request, in Inter's
format (`{razao, propriedade, valor}`), an empty list when the bank accepts it.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

UFS = {
    "AC", "AL", "AM", "AP", "BA", "CE", "DF", "ES", "GO", "MA", "MG", "MS", "MT", "PA",
    "PB", "PE", "PI", "PR", "RJ", "RN", "RO", "RR", "RS", "SC", "SE", "SP", "TO",
}  # fmt: skip
PERSON_TYPES = {"FISICA": 11, "JURIDICA": 14}  # with the digits of the cpfCnpj
SITUACOES = {
    "RECEBIDO", "A_RECEBER", "MARCADO_RECEBIDO", "ATRASADO", "CANCELADO", "EXPIRADO",
    "FALHA_EMISSAO", "EM_PROCESSAMENTO", "PROTESTO",
}  # fmt: skip
DATE_FILTERS = {"VENCIMENTO", "EMISSAO", "PAGAMENTO"}
PAY_WITH = {"BOLETO", "PIX"}
FINE_CODES = {"NAOTEMMULTA", "VALORFIXO", "PERCENTUAL"}
INTEREST_CODES = {"VALORDIA", "TAXAMENSAL", "ISENTO", "CONTROLEDOBANCO"}
DISCOUNT_CODES = {
    "NAOTEMDESCONTO", "VALORFIXODATAINFORMADA", "PERCENTUALDATAINFORMADA",
    "VALORANTECIPACAODIACORRIDO", "VALORANTECIPACAODIAUTIL",
    "PERCENTUALVALORNOMINALDIACORRIDO", "PERCENTUALVALORNOMINALDIAUTIL",
}  # fmt: skip
RECEIVING_METHODS = {"BOLETO", "PIX"}
MIN_AMOUNT = Decimal("2.50")
MAX_AMOUNT = Decimal("99999999.99")
ACCOUNT_HEADER = re.compile(r"[1-9][0-9]*")

# Payer (`pagador`, `beneficiarioFinal`): required fields, and the longest values.
PERSON_REQUIRED = ("cpfCnpj", "tipoPessoa", "nome", "endereco", "cidade", "uf", "cep")
PERSON_MAX_LENGTHS = {
    "nome": 100,
    "endereco": 100,
    "numero": 10,
    "complemento": 30,
    "bairro": 60,
    "cidade": 60,
    "email": 50,
}


def violation(prop, reason, value=None):
    item = {"razao": reason, "propriedade": prop}
    if value is not None:
        item["valor"] = str(value)
    return item


def error_body(status, title, detail, violations=None):
    body = {
        "title": title,
        "status": status,
        "detail": detail,
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(),
    }
    if violations:
        body["violacoes"] = violations
    return body


def parse_date(value):
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def parse_amount(value):
    """`valorNominal`: a JSON number or a numeric string (the Python SDK sends a
    string); None when it is neither."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        return None
    return amount


def _text(errors, prop, value, max_length, required=False):
    if value is None or value == "":
        if required:
            errors.append(violation(prop, "campo obrigatório"))
        return
    if not isinstance(value, str):
        errors.append(violation(prop, "deve ser um texto"))
    elif len(value) > max_length:
        errors.append(violation(prop, f"tamanho deve ser entre 1 e {max_length}"))


def person_violations(person, prefix):
    errors = []
    if not isinstance(person, dict):
        return [violation(prefix, "campo obrigatório")]
    for field in PERSON_REQUIRED:
        if person.get(field) in (None, ""):
            errors.append(violation(f"{prefix}.{field}", "campo obrigatório"))
    for field, max_length in PERSON_MAX_LENGTHS.items():
        _text(errors, f"{prefix}.{field}", person.get(field), max_length)
    kind = person.get("tipoPessoa")
    document = person.get("cpfCnpj")
    if kind not in (None, "") and kind not in PERSON_TYPES:
        errors.append(
            violation(f"{prefix}.tipoPessoa", "valores aceitos: FISICA, JURIDICA")
        )
    if document not in (None, ""):
        # a CPF, or a CNPJ: 14 digits or, since July 2026, 12 digits or capital
        # letters and 2 check digits (Receita Federal's alphanumeric CNPJ)
        if not isinstance(document, str) or not re.fullmatch(
            r"\d{11}|[0-9A-Z]{12}\d{2}", document
        ):
            errors.append(violation(f"{prefix}.cpfCnpj", "CPF/CNPJ inválido", document))
        elif kind in PERSON_TYPES and len(document) != PERSON_TYPES[kind]:
            errors.append(
                violation(f"{prefix}.cpfCnpj", "não corresponde ao tipoPessoa")
            )
    uf = person.get("uf")
    if uf not in (None, "") and uf not in UFS:
        errors.append(violation(f"{prefix}.uf", "UF inválida", uf))
    cep = person.get("cep")
    if cep not in (None, "") and not (
        isinstance(cep, str) and re.fullmatch(r"\d{8}", cep)
    ):
        errors.append(violation(f"{prefix}.cep", "deve ter 8 dígitos", cep))
    email = person.get("email")
    if email and isinstance(email, str) and "@" not in email:
        errors.append(violation(f"{prefix}.email", "e-mail inválido", email))
    ddd = person.get("ddd")
    if ddd not in (None, "") and not (
        isinstance(ddd, str) and re.fullmatch(r"\d{2}", ddd)
    ):
        errors.append(violation(f"{prefix}.ddd", "deve ter 2 dígitos"))
    phone = person.get("telefone")
    if phone not in (None, "") and not (
        isinstance(phone, str) and re.fullmatch(r"\d{1,9}", phone)
    ):
        errors.append(violation(f"{prefix}.telefone", "até 9 dígitos"))
    return errors


def _rate_block(errors, body, key, codes, rate_codes):
    block = body.get(key)
    if block is None:
        return
    if not isinstance(block, dict) or block.get("codigo") not in codes:
        errors.append(
            violation(f"{key}.codigo", f"valores aceitos: {', '.join(sorted(codes))}")
        )
        return
    for field in ("taxa", "valor"):
        value = block.get(field)
        if value is not None and (
            parse_amount(value) is None or Decimal(str(value)) < 0
        ):
            errors.append(violation(f"{key}.{field}", "valor inválido"))
    if block["codigo"] in rate_codes and not block.get("taxa"):
        errors.append(violation(f"{key}.taxa", "campo obrigatório"))


def issue_violations(body, today):
    """Violations of `POST /cobranca/v3/cobrancas`."""
    if not isinstance(body, dict):
        return [violation("body", "corpo inválido")]
    errors = []
    _text(errors, "seuNumero", body.get("seuNumero"), 15, required=True)
    raw_amount = body.get("valorNominal")
    if raw_amount in (None, ""):
        errors.append(violation("valorNominal", "campo obrigatório"))
    else:
        amount = parse_amount(raw_amount)
        if amount is None:
            errors.append(violation("valorNominal", "valor inválido", raw_amount))
        elif not MIN_AMOUNT <= amount <= MAX_AMOUNT:
            errors.append(
                violation(
                    "valorNominal", "deve estar entre 2.5 e 99999999.99", raw_amount
                )
            )
    raw_date = body.get("dataVencimento")
    if raw_date in (None, ""):
        errors.append(violation("dataVencimento", "campo obrigatório"))
    else:
        due = parse_date(raw_date)
        if due is None:
            errors.append(violation("dataVencimento", "formato aaaa-mm-dd", raw_date))
        elif due < today:
            errors.append(
                violation("dataVencimento", "não pode ser anterior a hoje", raw_date)
            )
    days = body.get("numDiasAgenda")
    if days is None:
        errors.append(violation("numDiasAgenda", "campo obrigatório"))
    elif isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 60:
        errors.append(violation("numDiasAgenda", "deve estar entre 0 e 60", days))
    errors += person_violations(body.get("pagador"), "pagador")
    if body.get("beneficiarioFinal") is not None:
        errors += person_violations(body["beneficiarioFinal"], "beneficiarioFinal")
    _rate_block(errors, body, "multa", FINE_CODES, {"PERCENTUAL"})
    _rate_block(errors, body, "mora", INTEREST_CODES, {"TAXAMENSAL"})
    discount = body.get("desconto")
    if discount is not None and (
        not isinstance(discount, dict) or discount.get("codigo") not in DISCOUNT_CODES
    ):
        errors.append(violation("desconto.codigo", "código inválido"))
    message = body.get("mensagem")
    if message is not None:
        if not isinstance(message, dict):
            errors.append(violation("mensagem", "objeto inválido"))
        else:
            for index in range(1, 6):
                _text(
                    errors, f"mensagem.linha{index}", message.get(f"linha{index}"), 78
                )
    methods = body.get("formasRecebimento")
    if methods is not None and (
        not isinstance(methods, list) or not set(methods) <= RECEIVING_METHODS
    ):
        errors.append(violation("formasRecebimento", "valores aceitos: BOLETO, PIX"))
    return errors


def list_violations(query):
    """Violations of `GET /cobranca/v3/cobrancas` (the query string)."""
    errors = []
    for field in ("dataInicial", "dataFinal"):
        if not query.get(field):
            errors.append(violation(field, "campo obrigatório"))
        elif parse_date(query[field]) is None:
            errors.append(violation(field, "formato aaaa-mm-dd", query[field]))
    if query.get("filtrarDataPor", "VENCIMENTO") not in DATE_FILTERS:
        errors.append(violation("filtrarDataPor", "valor inválido"))
    if query.get("situacao") and query["situacao"] not in SITUACOES:
        errors.append(violation("situacao", "valor inválido"))
    for field in ("paginacao.paginaAtual", "paginacao.itensPorPagina"):
        if query.get(field) and not query[field].isdigit():
            errors.append(violation(field, "deve ser um número"))
    return errors


def callbacks_violations(query):
    """Violations of `GET /cobranca/v3/cobrancas/webhook/callbacks`."""
    errors = []
    for field in ("dataHoraInicio", "dataHoraFim"):
        value = query.get(field)
        if not value:
            errors.append(violation(field, "campo obrigatório"))
            continue
        try:
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            errors.append(violation(field, "formato aaaa-mm-ddThh:mm", value))
    for field in ("pagina", "itensPorPagina"):
        if query.get(field) and not query[field].isdigit():
            errors.append(violation(field, "deve ser um número"))
    return errors


def webhook_violations(body):
    url = body.get("webhookUrl") if isinstance(body, dict) else None
    if not url:
        return [violation("webhookUrl", "campo obrigatório")]
    if not re.fullmatch(r"https://[^\s/]+(/\S*)?", url):
        return [violation("webhookUrl", "a URL deve usar https", url)]
    return []


# --- boleto numbers ---


def _mod10(digits):
    total = 0
    for index, digit in enumerate(reversed(digits)):
        product = int(digit) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def _mod11(digits):
    total = sum(
        int(digit) * (2 + index % 8) for index, digit in enumerate(reversed(digits))
    )
    check = 11 - total % 11
    return "1" if check in (0, 10, 11) else str(check)


def boleto_numbers(number, amount, due):
    """Return `(codigoBarras, linhaDigitavel)` of a boleto of Inter (bank 077): the
    44-digit barcode and the 47-digit digitable line, without separators."""
    factor = f"{(due - datetime.date(1997, 10, 7)).days % 9000 + 1000:04d}"[-4:]
    value = f"{int(amount * 100):010d}"
    free = f"{number:0>25}"[-25:]
    partial = f"0779{factor}{value}{free}"
    barcode = partial[:4] + _mod11(partial) + partial[4:]
    field1 = barcode[0:4] + free[0:5]
    field2 = free[5:15]
    field3 = free[15:25]
    line = (
        field1
        + _mod10(field1)
        + field2
        + _mod10(field2)
        + field3
        + _mod10(field3)
        + barcode[4]
        + factor
        + value
    )
    return barcode, line
