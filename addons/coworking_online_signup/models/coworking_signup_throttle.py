# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools.misc import hmac as hmac_tool


class CoworkingSignupThrottle(models.Model):
    """Signup attempts per visitor address in the current window (B7).

    One row per address, counted with one ``INSERT ... ON CONFLICT DO UPDATE``:
    concurrent posts from one address update the same row, so PostgreSQL makes all
    but one of them replay (a serialization failure Odoo retries) and each replay
    sees the count of the others; no post slips past the limit. Every POST counts,
    valid or not. The address is kept as a keyed hash, never in clear.
    """

    _name = "coworking.signup.throttle"
    _description = "Coworking Online Signup Attempts"

    address_key = fields.Char(required=True, readonly=True, index=True)
    window_start = fields.Datetime(required=True, readonly=True)
    hits = fields.Integer(readonly=True)

    _sql_constraints = [
        ("address_key_unique", "UNIQUE(address_key)", "One row per address."),
    ]

    @api.model
    def _get_limits(self):
        params = self.env["ir.config_parameter"].sudo()
        limit = int(params.get_param("coworking_online_signup.throttle_limit", 10))
        window = int(
            params.get_param("coworking_online_signup.throttle_window_minutes", 60)
        )
        return limit, window

    @api.model
    def _hit(self, address):
        """Count one attempt from ``address``; True when it goes over the limit."""
        limit, window = self._get_limits()
        if not address or limit <= 0:
            return False
        key = hmac_tool(self.env(su=True), "coworking_signup_throttle", address)
        self.env.cr.execute(
            """
            INSERT INTO coworking_signup_throttle
                (address_key, window_start, hits,
                 create_uid, write_uid, create_date, write_date)
            VALUES (%(key)s, %(now)s, 1, %(uid)s, %(uid)s,
                    %(now)s, %(now)s)
            ON CONFLICT (address_key) DO UPDATE SET
                hits = CASE
                    WHEN coworking_signup_throttle.window_start
                         < %(now)s - make_interval(mins => %(window)s)
                    THEN 1 ELSE coworking_signup_throttle.hits + 1 END,
                window_start = CASE
                    WHEN coworking_signup_throttle.window_start
                         < %(now)s - make_interval(mins => %(window)s)
                    THEN %(now)s
                    ELSE coworking_signup_throttle.window_start END,
                write_date = %(now)s
            RETURNING hits
            """,
            {
                "key": key,
                "uid": self.env.uid,
                "window": window,
                "now": fields.Datetime.now(),
            },
            # a concurrent post from the same address: Odoo replays this request
            log_exceptions=False,
        )
        return self.env.cr.fetchone()[0] > limit

    @api.autovacuum
    def _gc_old_windows(self):
        self.env.cr.execute(
            "DELETE FROM coworking_signup_throttle WHERE window_start "
            "< (now() at time zone 'UTC') - interval '1 day'"
        )
