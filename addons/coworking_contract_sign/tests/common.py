# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import json

from odoo.tests import HttpCase
from odoo.tools import mute_logger

from odoo.addons.coworking_online_signup.tests.signup_common import (
    PNG_BYTES,
    SignupMixin,
)

SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG_BYTES).decode()


class ContractSignCase(SignupMixin, HttpCase):
    """Signups on a test plan, the finishing job with real PDFs, the member in the
    portal.

    An HttpCase: wkhtmltopdf fetches the report's assets from this Odoo, and only in
    an HttpCase do those requests share the test's transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signup_data()
        cls.Signup = cls.env["coworking.signup"]

    def _signup(self, **form):
        """A visitor signs up, then the finishing job runs (as the cron worker does
        moments later), rendering real PDFs."""
        values = self.Signup._prepare_form_values(self.form(**form))
        submission = self.Signup._create_signup(
            self.plan, values, self.files(), ip_address="203.0.113.7"
        )
        with self.rendering_pdf():
            self.env["coworking.signup.submission"].with_context(
                force_report_rendering=True
            )._cron_finish_pending()
        self.assertEqual(submission.state, "done")
        return submission

    def rendering_pdf(self):
        # Debian's wkhtmltopdf (unpatched Qt) warns on every render
        return mute_logger("odoo.addons.base.models.ir_actions_report")

    def _json(self, url, params=None):
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "params": params or {}}),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        return response.json()

    def _sign_as_member(self, signer):
        """What the signing page does: read the items, fill the signature, send."""
        base = f"{signer.id}/{signer.access_token}"
        info = self._json(f"/sign_oca/info/{base}")["result"]
        items = info["items"]
        for item in items.values():
            if item["role_id"] == signer.role_id.id:
                item["value"] = SIGNATURE
        return self._json(f"/sign_oca/sign/{base}", {"items": items})
