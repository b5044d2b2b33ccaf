# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from ast import literal_eval

from odoo import api, fields, models

from odoo.addons.payment_br_base.utils import format_cnpj, format_cpf, tax_id_key

from ..validation import normalize_cep, normalize_cnpj, normalize_cpf, normalize_email

ADDRESS_KEYS = ("zip", "street", "street_number", "district", "city", "state_code")


class ResPartner(models.Model):
    _inherit = "res.partner"

    coworking_vat_digits = fields.Char(
        string="CPF/CNPJ key",
        compute="_compute_coworking_vat_digits",
        store=True,
        index=True,
        help="The tax id without punctuation (digits, and the letters of an "
        "alphanumeric CNPJ), to find a client by CPF or CNPJ.",
    )

    @api.depends("vat")
    def _compute_coworking_vat_digits(self):
        for partner in self:
            partner.coworking_vat_digits = tax_id_key(partner.vat)

    @api.model
    def _coworking_find_by_tax_id(self, company, key, is_company):
        """The oldest client of ``company`` (or shared) with this CPF/CNPJ key.

        Finding a client proves nothing about who typed the number: callers decide
        what the visitor may do with it (see ``coworking.signup``)."""
        return self.sudo().search(
            [
                ("coworking_vat_digits", "=", key),
                ("is_company", "=", is_company),
                ("company_id", "in", (company.id, False)),
            ],
            order="id",
            limit=1,
        )

    def _coworking_is_controlled_by(self, user):
        """Whether ``user`` (logged in) acts for this client: a user of the
        client's commercial partner (the client itself or one of its contacts)."""
        self.ensure_one()
        if not user or user._is_public():
            return False
        return user.partner_id.commercial_partner_id == self.commercial_partner_id

    def _coworking_get_login_users(self):
        """Active users that belong to this client (the client or its contacts)."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        return (
            self.env["res.users"]
            .sudo()
            .search([("partner_id", "child_of", commercial.id)])
        )

    # Clients from the online signup (called by `coworking.signup` as superuser)
    @api.model
    def _coworking_match_signup(self, plan, values):
        """The existing client with the CPF/CNPJ typed in a signup form, if any.
        Matching proves nothing (B1): see ``coworking.signup._create_signup``."""
        if values.get("client_type") == "company":
            key, is_company = normalize_cnpj(values.get("cnpj")), True
        else:
            key, is_company = normalize_cpf(values.get("cpf")), False
        if not key:
            return self.browse()
        return self._coworking_find_by_tax_id(plan.company_id, key, is_company)

    @api.model
    def _coworking_prepare_address_values(self, values):
        """A partner's address from the form's fields (number and district joined
        the Brazilian way); empty when no address was typed."""
        if not any(values.get(key) for key in ADDRESS_KEYS):
            return {}
        brazil = self.env.ref("base.br")
        state = self.env["res.country.state"].search(
            [("country_id", "=", brazil.id), ("code", "=", values.get("state_code"))],
            limit=1,
        )
        street = values["street"]
        if values.get("street_number"):
            street = f"{street}, {values['street_number']}"
        street2 = " - ".join(
            v for v in (values.get("street2"), values.get("district")) if v
        )
        return {
            "street": street,
            "street2": street2 or False,
            "city": values.get("city"),
            "zip": normalize_cep(values.get("zip")),
            "state_id": state.id,
            "country_id": brazil.id,
        }

    @api.model
    def _coworking_create_from_signup(self, plan, values, client=None):
        """The client (person or company) and the person who signed up.

        ``client`` is an existing client whose control was proven, or empty: a new
        client is created then, even when another has the same CPF/CNPJ (the
        operator kept them separate; Odoo's partner merge joins them later).
        An existing client only gets the fields it lacks."""
        client = client or self.browse()
        email = normalize_email(values["email"])
        lang = self.env.lang if self.env["res.lang"]._lang_get(self.env.lang) else False
        contact = {
            "name": values["name"],
            "email": email,
            "phone": values["phone"],
            "lang": lang,
        }
        address = self._coworking_prepare_address_values(values)
        brazil = self.env.ref("base.br")
        if values["client_type"] == "company":
            if client:
                client.write({k: v for k, v in address.items() if not client[k]})
            else:
                client = self.create(
                    {
                        "name": values["company_name"],
                        "is_company": True,
                        "vat": format_cnpj(normalize_cnpj(values["cnpj"])),
                        "email": email,
                        "phone": values["phone"],
                        "country_id": brazil.id,
                        **address,
                    }
                )
            person = client.child_ids.filtered(lambda p: p.email == email)[:1]
            if not person:
                person = self.create(
                    {**contact, "parent_id": client.id, "type": "contact", **address}
                )
            return client, person
        if client:
            client.write(
                {k: v for k, v in {**contact, **address}.items() if not client[k]}
            )
        else:
            client = self.create(
                {
                    **contact,
                    "vat": format_cpf(normalize_cpf(values["cpf"])),
                    "country_id": brazil.id,
                    **address,
                }
            )
        return client, client

    def _coworking_create_portal_user(self, login, company):
        """A portal user for this person, without Odoo's invitation e-mail (the
        signup's welcome e-mail tells them how to log in)."""
        self.ensure_one()
        return (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            ._create_user_from_template(
                self._coworking_prepare_portal_user_values(login, company)
            )
        )

    def _coworking_prepare_portal_user_values(self, login, company):
        self.ensure_one()
        return {
            "login": login,
            "partner_id": self.id,
            "company_id": company.id,
            "company_ids": [fields.Command.set(company.ids)],
        }

    @api.model
    def _coworking_create_portal_users(self, persons_logins, company):
        """Portal users for ``(person, login)`` pairs, in that order, copied from
        Odoo's portal template user as ``auth_signup``'s
        ``_create_user_from_template`` copies it for one, but created together:
        Odoo empties its caches once per creation of users (issue 16)."""
        Users = self.env["res.users"].with_context(no_reset_password=True)
        template_id = literal_eval(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("base.template_portal_user_id", "False")
        )
        template = Users.browse(template_id).exists()
        if len(persons_logins) == 1 or not template:
            # one by one, through Odoo's own method (and its own error)
            return Users.concat(
                *(
                    person._coworking_create_portal_user(login, company)
                    for person, login in persons_logins
                )
            )
        values = []
        for person, login in persons_logins:
            default = dict(
                person._coworking_prepare_portal_user_values(login, company),
                active=True,
            )
            values += template.with_context(active_test=False).copy_data(default)
        return Users.create(values)
