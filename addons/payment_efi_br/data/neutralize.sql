-- blank the Efí secrets on database copies
UPDATE payment_provider
   SET efi_br_client_secret = NULL,
       efi_br_certificate_password = NULL,
       efi_br_notification_secret = NULL,
       efi_br_charges_url = NULL,
       efi_br_pix_url = NULL,
       efi_br_ca_bundle = NULL;
DELETE FROM ir_attachment
 WHERE res_model = 'payment.provider'
   AND res_field = 'efi_br_certificate';
