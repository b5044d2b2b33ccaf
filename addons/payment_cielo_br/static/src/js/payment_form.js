/** @odoo-module **/
// The card typed in the payment form goes from the browser to Cielo's Silent Order
// Post, which answers with a token; only that token reaches Odoo.

import { _t } from '@web/core/l10n/translation';
import { rpc, RPCError } from '@web/core/network/rpc';
import paymentForm from '@payment/js/payment_form';

paymentForm.include({

    async _prepareInlineForm(providerId, providerCode, paymentOptionId, paymentMethodCode, flow) {
        if (providerCode !== 'cielo_br') {
            this._super(...arguments);
            return;
        } else if (flow === 'token') {
            return;
        }
        this._setPaymentFlow('direct');
    },

    _cieloBrCardFields(providerId) {
        const container = document.getElementById(`o_cielo_br_container_${providerId}`);
        const value = (selector) => container.querySelector(selector).value.trim();
        return {
            holder: value('.o_cielo_br_holder'),
            number: value('.o_cielo_br_number').replace(/\D/g, ''),
            expiry: value('.o_cielo_br_expiry'),
            cvv: value('.o_cielo_br_cvv'),
            brand: value('.o_cielo_br_brand'),
        };
    },

    async _processDirectFlow(providerCode, paymentOptionId, paymentMethodCode, processingValues) {
        if (providerCode !== 'cielo_br') {
            this._super(...arguments);
            return;
        }
        const card = this._cieloBrCardFields(processingValues.provider_id);
        if (!card.holder || card.number.length < 13 || !/^\d{2}\/\d{4}$/.test(card.expiry)
            || !/^\d{3,4}$/.test(card.cvv)) {
            this._displayErrorDialog(
                _t("Payment processing failed"),
                _t("Check the name, the card number, the expiry (MM/YYYY) and the security code."),
            );
            this._enableButton();
            return;
        }
        const tokenize = processingValues.should_tokenize;
        const body = new URLSearchParams({
            AccessToken: processingValues.cielo_br_sop_access_token,
            HolderName: card.holder,
            RawNumber: card.number,
            Expiration: card.expiry,
            SecurityCode: card.cvv,
            EnableTokenize: tokenize ? 'true' : 'false',
        });
        let cieloAnswer;
        try {
            const response = await fetch(processingValues.cielo_br_sop_url, {
                method: 'POST', body: body, credentials: 'omit',
            });
            cieloAnswer = await response.json();
            if (!response.ok) {
                throw new Error(cieloAnswer?.[0]?.Message || response.statusText);
            }
        } catch (error) {
            this._displayErrorDialog(_t("Payment processing failed"), error.message);
            this._enableButton();
            return;
        }
        try {
            await rpc('/payment/cielo_br/pay', {
                reference: processingValues.reference,
                access_token: processingValues.access_token,
                brand: card.brand,
                card_token: cieloAnswer.CardToken || null,
                payment_token: cieloAnswer.PaymentToken || null,
            });
        } catch (error) {
            if (error instanceof RPCError) {
                this._displayErrorDialog(_t("Payment processing failed"), error.data.message);
                this._enableButton();
                return;
            }
            throw error;
        }
        window.location = '/payment/status';
    },

});
