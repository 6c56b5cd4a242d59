// Generated from the served OpenAPI document (/api/docs/json) by `npm run gen:api-types`
// (scripts/api-types.ts). Do not edit: change the route schemas and regenerate.
export interface paths {
    "/api/v1/org": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get your organization */
        get: operations["getOrg"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change your organization's settings */
        patch: operations["updateOrg"];
        trace?: never;
    };
    "/api/v1/org/logo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upload your organization's logo */
        put: operations["setOrgLogo"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/link-template": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get the default visibility template for new links */
        get: operations["getLinkTemplate"];
        /** Replace the default visibility template for new links */
        put: operations["setLinkTemplate"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys */
        get: operations["listApiKeys"];
        put?: never;
        /** Create an API key */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke an API key */
        post: operations["revokeApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api-keys/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace an API key with a new secret */
        post: operations["rotateApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users */
        get: operations["listUsers"];
        put?: never;
        /** Create a user */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a user */
        get: operations["getUser"];
        put?: never;
        post?: never;
        /** Delete a user */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /** Change a user */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/api/v1/users/{id}/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a user's browser sessions */
        get: operations["listUserSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/sessions/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign a user out everywhere */
        post: operations["revokeUserSessions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in to the admin app (sets the session cookie) */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out of the admin app */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is calling: user or API key, org and CSRF token */
        get: operations["getCurrentActor"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the audit log */
        get: operations["listAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/stops": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a stop (append, or insert at a position) */
        post: operations["addShipmentStop"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/stops/{index}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove one stop */
        delete: operations["deleteShipmentStop"];
        options?: never;
        head?: never;
        /** Change one stop */
        patch: operations["updateShipmentStop"];
        trace?: never;
    };
    "/api/v1/shipments/{id}/stops/{index}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report arrival at or departure from a stop
         * @description The same as recording stop_arrived / stop_departed for the shipment: status, ETA, notifications and live views follow alike.
         */
        post: operations["recordStopEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List shipments */
        get: operations["listShipments"];
        put?: never;
        /** Create a shipment */
        post: operations["createShipment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a shipment */
        get: operations["getShipment"];
        put?: never;
        post?: never;
        /** Delete a shipment */
        delete: operations["deleteShipment"];
        options?: never;
        head?: never;
        /** Change a shipment */
        patch: operations["updateShipment"];
        trace?: never;
    };
    "/api/v1/shipments/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a shipment's events */
        get: operations["listShipmentEvents"];
        put?: never;
        /** Record a shipment event */
        post: operations["recordShipmentEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a note to a shipment */
        post: operations["addShipmentNote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/notes/{noteId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a shipment note */
        delete: operations["deleteShipmentNote"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/photos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload a photo of a shipment */
        post: operations["addShipmentPhoto"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/photos/{photoId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download a shipment photo */
        get: operations["getShipmentPhoto"];
        put?: never;
        post?: never;
        /** Delete a shipment photo */
        delete: operations["deleteShipmentPhoto"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/hero-photo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Choose the photo shown first on the tracking page */
        put: operations["setShipmentHeroPhoto"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/pallet-scans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record a pallet scan */
        post: operations["addPalletScan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/proof-of-delivery": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the proof of delivery */
        get: operations["getProofOfDelivery"];
        /** Upload the proof of delivery */
        put: operations["setProofOfDelivery"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a contact to a shipment */
        post: operations["addShipmentContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/contacts/{contactId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a contact from a shipment */
        delete: operations["deleteShipmentContact"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/partners": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List partner organizations */
        get: operations["listPartners"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/partners/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End a partnership */
        delete: operations["endPartnership"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/partner-invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List partner invitations you sent */
        get: operations["listSentPartnerInvitations"];
        put?: never;
        /** Invite an organization to be a partner */
        post: operations["invitePartner"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/partner-invitations/received": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List partner invitations you received */
        get: operations["listReceivedPartnerInvitations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/partner-invitations/{id}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept a partner invitation */
        post: operations["acceptPartnerInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/partner-invitations/{id}/decline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Decline a partner invitation */
        post: operations["declinePartnerInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/partner-invitations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Withdraw a pending partner invitation */
        delete: operations["withdrawPartnerInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/partners": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the partners a shipment is shared with */
        get: operations["listShipmentPartners"];
        put?: never;
        /** Share a shipment with a partner */
        post: operations["shareShipment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/partners/{partnerOrgId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Stop sharing a shipment with a partner */
        delete: operations["unshareShipment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/email-templates/variables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the variables email templates can use */
        get: operations["listTemplateVariables"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/email-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List email templates */
        get: operations["listEmailTemplates"];
        put?: never;
        /** Create an email template */
        post: operations["createEmailTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/email-templates/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Preview an unsaved email template */
        post: operations["previewEmailTemplateDraft"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/email-templates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an email template */
        get: operations["getEmailTemplate"];
        /** Replace an email template */
        put: operations["replaceEmailTemplate"];
        post?: never;
        /** Delete an email template */
        delete: operations["deleteEmailTemplate"];
        options?: never;
        head?: never;
        /** Change an email template */
        patch: operations["updateEmailTemplate"];
        trace?: never;
    };
    "/api/v1/email-templates/{id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Preview an email template for a shipment */
        post: operations["previewEmailTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List contact tasks */
        get: operations["listContactTasks"];
        put?: never;
        /** Create a contact task */
        post: operations["createContactTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/recalculate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Recalculate contact task schedules */
        post: operations["recalculateContactTasks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a contact task */
        get: operations["getContactTask"];
        /** Replace a contact task */
        put: operations["replaceContactTask"];
        post?: never;
        /** Delete a contact task */
        delete: operations["deleteContactTask"];
        options?: never;
        head?: never;
        /** Change a contact task */
        patch: operations["updateContactTask"];
        trace?: never;
    };
    "/api/v1/outbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List outgoing emails */
        get: operations["listOutbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/outbox/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry failed outgoing emails */
        post: operations["retryOutbox"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhooks */
        get: operations["listWebhooks"];
        put?: never;
        /** Create a webhook */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a webhook */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Delete a webhook */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /** Change a webhook */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/api/v1/webhooks/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace a webhook's signing secret */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a test event to a webhook */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a webhook's deliveries */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a shipment's tracking links */
        get: operations["listShipmentTrackingLinks"];
        put?: never;
        /** Create a tracking link for a shipment */
        post: operations["createTrackingLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/tracking": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a shipment's tracking summary */
        get: operations["getShipmentTracking"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tracking links */
        get: operations["listTrackingLinks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/links/backfill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create links for shipments that have none */
        post: operations["backfillTrackingLinks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/links/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a tracking link */
        get: operations["getTrackingLink"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a tracking link */
        patch: operations["updateTrackingLink"];
        trace?: never;
    };
    "/api/v1/links/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a tracking link */
        post: operations["revokeTrackingLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/links/{id}/regenerate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace a tracking link with one at a new URL */
        post: operations["regenerateTrackingLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/links/{id}/qr.svg": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a tracking link's QR code (SVG) */
        get: operations["getTrackingLinkQrCode"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{slug}/data": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What a tracking link shows, as JSON */
        get: operations["getPublicData"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{slug}/photos/{photoId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A photo shown on a tracking link */
        get: operations["getPublicPhoto"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{slug}/pod.pdf": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The proof of delivery shown on a tracking link */
        get: operations["getPublicProofOfDelivery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List devices */
        get: operations["listDevices"];
        put?: never;
        /** Register a device */
        post: operations["createDevice"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a device */
        get: operations["getDevice"];
        put?: never;
        post?: never;
        /** Delete a device */
        delete: operations["deleteDevice"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace a device's token */
        post: operations["rotateDeviceToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a shipment's position sources */
        get: operations["listSources"];
        put?: never;
        /** Attach a device or source to a shipment */
        post: operations["attachSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/sources/{sourceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Detach a source from a shipment */
        delete: operations["detachSource"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/positions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a batch of positions (API key or device token) */
        post: operations["ingestPositions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/shipments/{id}/positions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a shipment's track */
        get: operations["listShipmentPositions"];
        put?: never;
        /** Send positions for a shipment shared with you */
        post: operations["ingestPartnerPositions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ingest/osmand": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OsmAnd / Traccar Client position (query string) */
        get: operations["ingestOsmandQuery"];
        put?: never;
        /** OsmAnd / Traccar Client position (form or JSON body) */
        post: operations["ingestOsmand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ingest/osmand/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OsmAnd / Traccar Client position at the device's secret URL (query string) */
        get: operations["ingestOsmandWithTokenQuery"];
        put?: never;
        /** OsmAnd / Traccar Client position at the device's secret URL (form or JSON body) */
        post: operations["ingestOsmandWithToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ingest/owntracks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OwnTracks HTTP mode location */
        post: operations["ingestOwnTracks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ingest-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List ingest tokens */
        get: operations["listIngestTokens"];
        put?: never;
        /** Create an ingest token for Traccar forwarding */
        post: operations["createIngestToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ingest-tokens/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace an ingest token with a new secret */
        post: operations["rotateIngestToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ingest-tokens/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke an ingest token */
        post: operations["revokeIngestToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ingest/traccar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Traccar server position forwarding (JSON) */
        post: operations["ingestTraccar"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{slug}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The track a tracking link shows */
        get: operations["getPublicHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{slug}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live positions of a tracking link (Server-Sent Events) */
        get: operations["streamPublicEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            error: {
                code: string;
                message: string;
                details?: ({
                    path?: string;
                    message: string;
                } & {
                    [key: string]: unknown;
                })[];
            };
        };
        Shipment: {
            id: string;
            kind: "order" | "consignment" | "vehicle" | "tracker_session";
            reference: string;
            title: string | null;
            status: "draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception";
            stages: string[];
            current_stage: number | null;
            /** Format: date-time */
            eta: string | null;
            eta_source: ("manual" | "computed") | (never | null);
            /** Format: date-time */
            eta_calculated_at: string | null;
            customer_reference: string | null;
            container_number: string | null;
            transport_service: string | null;
            custom_fields: {
                key: string;
                value: string;
                shareable: boolean;
            }[];
            extra_fields: {
                key: string;
                value: string;
                shareable: boolean;
            }[];
            /** @description Never public: vin, stock_number, cost, price, payments, line_items, messages, … */
            internal: {
                [key: string]: unknown;
            };
            stops: {
                id: string;
                /** @description Position in the route, from 0; the {index} of the stop routes */
                index: number;
                type: "pickup" | "delivery" | "waypoint";
                name: string | null;
                address: string | null;
                lat: number | null;
                lon: number | null;
                reference: string | null;
                /** Format: date-time */
                window_start: string | null;
                /** Format: date-time */
                window_end: string | null;
                /** Format: date-time */
                eta: string | null;
                /** Format: date-time */
                arrived_at: string | null;
                /** Format: date-time */
                departed_at: string | null;
                contact: {
                    name: string | null;
                    email: string | null;
                } | null;
            }[];
            cargo: {
                id: string;
                index: number;
                description: string;
                quantity: number | null;
                packaging: string | null;
                weight_kg: number | null;
            }[];
            segments: {
                id: string;
                index: number;
                name: string | null;
                from_stop: number | null;
                to_stop: number | null;
            }[];
            pallet_scans: {
                id: string;
                cargo_index: number | null;
                stop_index: number | null;
                event: string;
                code: string | null;
                place: string | null;
                /** Format: date-time */
                scanned_at: string;
            }[];
            photos: {
                id: string;
                content_type: string;
                size_bytes: number;
                caption: string | null;
                url: string;
                /** Format: date-time */
                created_at: string;
            }[];
            hero_photo_id: string | null;
            notes: {
                id: string;
                scope: "internal" | "customer";
                body: string;
                author: string | null;
                /** Format: date-time */
                created_at: string;
            }[];
            contacts: {
                id: string;
                name: string | null;
                email: string;
            }[];
            proof_of_delivery: {
                content_type: string | null;
                signed_by: string | null;
                /** Format: date-time */
                captured_at: string | null;
                url: string;
            } | null;
            /** Format: date-time */
            delivered_at: string | null;
            /** Format: date-time */
            cancelled_at?: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        PartnerShipment: {
            id: string;
            kind: "order" | "consignment" | "vehicle" | "tracker_session";
            reference: string;
            title: string | null;
            status: "draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception";
            stages: string[];
            current_stage: number | null;
            /** Format: date-time */
            eta: string | null;
            eta_source: ("manual" | "computed") | (never | null);
            /** Format: date-time */
            eta_calculated_at: string | null;
            container_number: string | null;
            transport_service: string | null;
            custom_fields: {
                key: string;
                value: string;
                shareable: boolean;
            }[];
            extra_fields: {
                key: string;
                value: string;
                shareable: boolean;
            }[];
            cargo: {
                id: string;
                index: number;
                description: string;
                quantity: number | null;
                packaging: string | null;
                weight_kg: number | null;
            }[];
            segments: {
                id: string;
                index: number;
                name: string | null;
                from_stop: number | null;
                to_stop: number | null;
            }[];
            pallet_scans: {
                id: string;
                cargo_index: number | null;
                stop_index: number | null;
                event: string;
                code: string | null;
                place: string | null;
                /** Format: date-time */
                scanned_at: string;
            }[];
            photos: {
                id: string;
                content_type: string;
                size_bytes: number;
                caption: string | null;
                url: string;
                /** Format: date-time */
                created_at: string;
            }[];
            hero_photo_id: string | null;
            /** Format: date-time */
            delivered_at: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            stops: {
                id: string;
                /** @description Position in the route, from 0; the {index} of the stop routes */
                index: number;
                type: "pickup" | "delivery" | "waypoint";
                name: string | null;
                address: string | null;
                lat: number | null;
                lon: number | null;
                reference: string | null;
                /** Format: date-time */
                window_start: string | null;
                /** Format: date-time */
                window_end: string | null;
                /** Format: date-time */
                eta: string | null;
                /** Format: date-time */
                arrived_at: string | null;
                /** Format: date-time */
                departed_at: string | null;
            }[];
            notes: {
                id: string;
                scope: "internal" | "customer";
                body: string;
                /** Format: date-time */
                created_at: string;
            }[];
            proof_of_delivery: {
                /** Format: date-time */
                captured_at: string | null;
            } | null;
            shared_by_org_id: string;
            shared_by: {
                org_id: string;
                name: string;
            };
        };
        TrackingLink: {
            id: string;
            /** @description A secret: whoever has it sees what the link allows */
            slug: string;
            url: string;
            qr_url: string;
            shipment_id: string;
            shipment_reference: string;
            recipient: {
                name: string | null;
                email: string;
            } | null;
            state: "active" | "revoked" | "expired";
            /** @description Whether the public page opens now */
            available: boolean;
            unavailable_reason: ("billing_locked" | "sharing_disabled" | "unshared") | (never | null);
            /** @description The overrides of the org template this link has; a key left out follows the template */
            options: {
                status?: boolean | null;
                progress?: boolean | null;
                eta?: boolean | null;
                reference?: boolean | null;
                stops?: boolean | null;
                stop_references?: boolean | null;
                estimated_times?: boolean | null;
                cargo?: boolean | null;
                pallet_scans?: boolean | null;
                customer_reference?: boolean | null;
                container_number?: boolean | null;
                transport_service?: boolean | null;
                custom_fields?: boolean | null;
                extra_fields?: boolean | null;
                hero_photo?: boolean | null;
                customer_notes?: boolean | null;
                proof_of_delivery?: boolean | null;
                map?: boolean | null;
                history?: boolean | null;
                driver_position?: ("always" | "en_route_to_delivery" | "never") | (never | null);
                segments?: number[] | null;
                layers?: ("driver" | "cargo" | "tracker")[] | null;
                photo_ids?: string[] | null;
            };
            /** Format: date-time */
            expires_at: string | null;
            /** Format: date-time */
            effective_expires_at: string | null;
            /** Format: date-time */
            created_at: string;
            created_by: string | null;
            /** Format: date-time */
            updated_at: string;
            /** Format: date-time */
            revoked_at: string | null;
            revoked_by: string | null;
            replaced_by: string | null;
            /** Format: date-time */
            first_viewed_at: string | null;
            /** Format: date-time */
            last_viewed_at: string | null;
            view_count: number;
        };
        Device: {
            id: string;
            name: string;
            /** @description What the device sends as its id (OsmAnd id, OwnTracks user, Traccar uniqueId); a generated one is a credential, shown whole to dispatchers and above only (shortened for viewers) */
            external_id: string;
            /** @description Generated by the server (long and random): may authenticate alone on the bare /ingest/osmand */
            external_id_generated: boolean;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            last_seen_at: string | null;
        };
        Source: {
            id: string;
            device_id: string;
            layer: "driver" | "cargo" | "tracker";
            segment: number | null;
            /**
             * Format: date-time
             * @description Start of the attachment: the device shows on this shipment from then on
             */
            from: string;
            /**
             * Format: date-time
             * @description When it was detached (null while attached); a detached source stays listed
             */
            until: string | null;
            /** Format: date-time */
            created_at: string;
        };
        PublicPosition: {
            layer: "driver" | "cargo" | "tracker";
            lat: number;
            lon: number;
            /** Format: date-time */
            recorded_at: string;
            speed_mps: number | null;
            heading_deg: number | null;
            accuracy_m: number | null;
        };
        PublicData: {
            org: {
                name: string;
                /** @description A path on this server */
                logo_url: string | null;
                brand_color: string | null;
                country: string;
            };
            kind: "order" | "consignment" | "vehicle" | "tracker_session";
            title: string | null;
            reference?: string;
            status?: "draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception";
            /** Format: date-time */
            delivered_at?: string | null;
            progress?: {
                stages: string[];
                current_stage: number | null;
            };
            eta?: {
                /** Format: date-time */
                at: string | null;
                source: ("manual" | "computed") | (never | null);
                /** Format: date-time */
                calculated_at: string | null;
                window: {
                    /** Format: date-time */
                    start: string | null;
                    /** Format: date-time */
                    end: string | null;
                } | null;
                /** Format: date-time */
                delivered_at: string | null;
            };
            customer_reference?: string | null;
            container_number?: string | null;
            transport_service?: string | null;
            custom_fields?: {
                key: string;
                value: string;
            }[];
            extra_fields?: {
                key: string;
                value: string;
            }[];
            stops?: {
                index: number;
                type: "pickup" | "delivery" | "waypoint";
                name: string | null;
                address: string | null;
                reference?: string | null;
                /** Format: date-time */
                window_start?: string | null;
                /** Format: date-time */
                window_end?: string | null;
                /** Format: date-time */
                eta?: string | null;
                /** Format: date-time */
                arrived_at: string | null;
                /** Format: date-time */
                departed_at: string | null;
            }[];
            cargo?: {
                description: string;
                quantity: number | null;
                packaging: string | null;
                weight_kg: number | null;
            }[];
            pallet_scans?: {
                cargo_index: number | null;
                stop_index: number | null;
                event: string;
                code: string | null;
                place: string | null;
                /** Format: date-time */
                scanned_at: string | null;
            }[];
            hero_photo?: {
                /** @description A path on this server */
                url: string;
                caption: string | null;
            } | null;
            photos: {
                /** @description A path on this server */
                url: string;
                caption: string | null;
            }[];
            notes?: {
                body: string;
                /** Format: date-time */
                created_at: string | null;
            }[];
            proof_of_delivery?: {
                /** @description A path on this server */
                url: string;
                content_type: string | null;
                signed_by: string | null;
                /** Format: date-time */
                captured_at: string | null;
            } | null;
            map: {
                shown: boolean;
                layers: ("driver" | "cargo" | "tracker")[];
                history: boolean;
                segments: {
                    index: number;
                    name: string | null;
                }[];
                markers: {
                    type: "pickup" | "delivery" | "waypoint";
                    lat: number;
                    lon: number;
                    label: string | null;
                    /** @description Shown on the marker and in the legend */
                    number: number;
                }[];
                /** @description The number of the marker the vehicle heads to (the dashed line), or null */
                next_stop: number | null;
            };
            /** @description What happened, newest first (at most 100 entries), only from what the link shows: its stop times, stages, status, scans and proof of delivery */
            timeline: {
                /** Format: date-time */
                at: string;
                type: "created" | "picked_up" | "departed" | "arrived" | "delivered" | "status" | "stage" | "scan" | "pod";
                stop?: {
                    index: number;
                    type: "pickup" | "delivery" | "waypoint";
                    name: string | null;
                };
                status?: string;
                stage?: string;
                scan?: {
                    event: string;
                    code: string | null;
                    place: string | null;
                };
            }[];
            /** Format: date-time */
            updated_at: string | null;
            positions: components["schemas"]["PublicPosition"][];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getOrg: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        country: string;
                        /** @description IANA time zone of the org's country (UTC where one zone does not cover it): tracking pages and the admin app show times in it */
                        time_zone: string;
                        brand_color: string | null;
                        logo_url: string | null;
                        billing_state: "active" | "locked";
                        sharing_enabled: boolean;
                        auto_create_links: boolean;
                        link_inactivity_days: number;
                        position_retention_days: number;
                        /** @description Public handle partners invite this organization by */
                        handle: string | null;
                        created_at: string;
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateOrg: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /** @description ISO 3166-1 alpha-2 */
                    country?: string;
                    brand_color?: string | null;
                    billing_state?: "active" | "locked";
                    sharing_enabled?: boolean;
                    auto_create_links?: boolean;
                    link_inactivity_days?: number;
                    position_retention_days?: number;
                    /** @description 3-32 letters, digits or hyphens, not starting or ending with a hyphen; case-insensitive */
                    handle?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        country: string;
                        /** @description IANA time zone of the org's country (UTC where one zone does not cover it): tracking pages and the admin app show times in it */
                        time_zone: string;
                        brand_color: string | null;
                        logo_url: string | null;
                        billing_state: "active" | "locked";
                        sharing_enabled: boolean;
                        auto_create_links: boolean;
                        link_inactivity_days: number;
                        position_retention_days: number;
                        /** @description Public handle partners invite this organization by */
                        handle: string | null;
                        created_at: string;
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setOrgLogo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description The file, one per request (the part may have any name)
                     */
                    file: string;
                } & {
                    [key: string]: string;
                };
                "image/png": string;
                "image/jpeg": string;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        country: string;
                        /** @description IANA time zone of the org's country (UTC where one zone does not cover it): tracking pages and the admin app show times in it */
                        time_zone: string;
                        brand_color: string | null;
                        logo_url: string | null;
                        billing_state: "active" | "locked";
                        sharing_enabled: boolean;
                        auto_create_links: boolean;
                        link_inactivity_days: number;
                        position_retention_days: number;
                        /** @description Public handle partners invite this organization by */
                        handle: string | null;
                        created_at: string;
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getLinkTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: boolean;
                        progress: boolean;
                        eta: boolean;
                        reference: boolean;
                        stops: boolean;
                        stop_references: boolean;
                        estimated_times: boolean;
                        cargo: boolean;
                        pallet_scans: boolean;
                        customer_reference: boolean;
                        container_number: boolean;
                        transport_service: boolean;
                        custom_fields: boolean;
                        extra_fields: boolean;
                        hero_photo: boolean;
                        customer_notes: boolean;
                        proof_of_delivery: boolean;
                        map: boolean;
                        history: boolean;
                        driver_position: "always" | "en_route_to_delivery" | "never";
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setLinkTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    status?: boolean;
                    progress?: boolean;
                    eta?: boolean;
                    reference?: boolean;
                    stops?: boolean;
                    stop_references?: boolean;
                    estimated_times?: boolean;
                    cargo?: boolean;
                    pallet_scans?: boolean;
                    customer_reference?: boolean;
                    container_number?: boolean;
                    transport_service?: boolean;
                    custom_fields?: boolean;
                    extra_fields?: boolean;
                    hero_photo?: boolean;
                    customer_notes?: boolean;
                    proof_of_delivery?: boolean;
                    map?: boolean;
                    history?: boolean;
                    driver_position?: "always" | "en_route_to_delivery" | "never";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: boolean;
                        progress: boolean;
                        eta: boolean;
                        reference: boolean;
                        stops: boolean;
                        stop_references: boolean;
                        estimated_times: boolean;
                        cargo: boolean;
                        pallet_scans: boolean;
                        customer_reference: boolean;
                        container_number: boolean;
                        transport_service: boolean;
                        custom_fields: boolean;
                        extra_fields: boolean;
                        hero_photo: boolean;
                        customer_notes: boolean;
                        proof_of_delivery: boolean;
                        map: boolean;
                        history: boolean;
                        driver_position: "always" | "en_route_to_delivery" | "never";
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            name: string;
                            /** @description The first characters of the key, to tell keys apart */
                            prefix: string;
                            role: "owner" | "admin" | "dispatcher" | "viewer";
                            created_by: string | null;
                            created_by_user_id: string | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            last_used_at: string | null;
                            /** Format: date-time */
                            revoked_at: string | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    role?: "owner" | "admin" | "dispatcher" | "viewer";
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        prefix: string;
                        role: "owner" | "admin" | "dispatcher" | "viewer";
                        /** @description Shown once: send as Authorization: Bearer <api_key> */
                        api_key: string;
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        prefix: string;
                        role: "owner" | "admin" | "dispatcher" | "viewer";
                        /** @description Shown once: send as Authorization: Bearer <api_key> */
                        api_key: string;
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            email: string;
                            name: string;
                            role: "owner" | "admin" | "dispatcher" | "viewer";
                            /** Format: date-time */
                            created_at: string;
                            disabled: boolean;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    name?: string;
                    role: "owner" | "admin" | "dispatcher" | "viewer";
                    password?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        email: string;
                        name: string;
                        role: "owner" | "admin" | "dispatcher" | "viewer";
                        /** Format: date-time */
                        created_at: string;
                        disabled: boolean;
                        /** @description Shown once, when the server chose the password */
                        password?: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        email: string;
                        name: string;
                        role: "owner" | "admin" | "dispatcher" | "viewer";
                        /** Format: date-time */
                        created_at: string;
                        disabled: boolean;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    role?: "owner" | "admin" | "dispatcher" | "viewer";
                    password?: string;
                    disabled?: boolean;
                    /** @description Your current password, required with `password` to change your own (an owner setting another user’s needs none); only sent with `password` */
                    current_password?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        email: string;
                        name: string;
                        role: "owner" | "admin" | "dispatcher" | "viewer";
                        /** Format: date-time */
                        created_at: string;
                        disabled: boolean;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listUserSessions: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description The first 16 characters of the session id */
                            id: string;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            expires_at: string;
                            /** Format: date-time */
                            last_seen_at: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeUserSessions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    password: string;
                    /** @description Only when the email has accounts in several organizations (a 409 lists them) */
                    org_id?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            name: string;
                            role: "owner" | "admin" | "dispatcher" | "viewer";
                            /** Format: date-time */
                            created_at: string;
                            disabled: boolean;
                        };
                        /** @description Send as X-CSRF-Token with every write made with the session cookie */
                        csrf_token: string;
                        /** Format: date-time */
                        expires_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCurrentActor: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actor: {
                            type: "user" | "api_key" | "cli" | "system";
                            id: string | null;
                            label: string;
                            role: "owner" | "admin" | "dispatcher" | "viewer";
                        };
                        user: {
                            id: string;
                            email: string;
                            name: string;
                            role: "owner" | "admin" | "dispatcher" | "viewer";
                            /** Format: date-time */
                            created_at: string;
                            disabled: boolean;
                        } | null;
                        org: {
                            id: string;
                            name: string;
                            country: string;
                            /** @description IANA time zone of the org's country (UTC where one zone does not cover it): tracking pages and the admin app show times in it */
                            time_zone: string;
                            brand_color: string | null;
                            logo_url: string | null;
                            billing_state: "active" | "locked";
                            sharing_enabled: boolean;
                            auto_create_links: boolean;
                            link_inactivity_days: number;
                            position_retention_days: number;
                            /** @description Public handle partners invite this organization by */
                            handle: string | null;
                            created_at: string;
                            updated_at: string;
                        };
                        csrf_token: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAuditLog: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                action?: string;
                target_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            action: string;
                            actor: {
                                type: string;
                                id: string | null;
                                label: string | null;
                            };
                            target: {
                                type: string;
                                id: string | null;
                            };
                            data: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            created_at: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addShipmentStop: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    type: "pickup" | "delivery" | "waypoint";
                    name?: string | null;
                    address?: string | null;
                    lat?: number | null;
                    lon?: number | null;
                    reference?: string | null;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    window_start?: string | null;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    window_end?: string | null;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    eta?: string | null;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    arrived_at?: string | null;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    departed_at?: string | null;
                    contact?: {
                        name?: string | null;
                        /** Format: email */
                        email?: string | null;
                    } | null;
                    /** @description Insert before the stop at this index (later stops move up one); default: append after the last stop */
                    position?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @description Position in the route, from 0; the {index} of the stop routes */
                        index: number;
                        type: "pickup" | "delivery" | "waypoint";
                        name: string | null;
                        address: string | null;
                        lat: number | null;
                        lon: number | null;
                        reference: string | null;
                        /** Format: date-time */
                        window_start: string | null;
                        /** Format: date-time */
                        window_end: string | null;
                        /** Format: date-time */
                        eta: string | null;
                        /** Format: date-time */
                        arrived_at: string | null;
                        /** Format: date-time */
                        departed_at: string | null;
                        contact: {
                            name: string | null;
                            email: string | null;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteShipmentStop: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description The stop's position in the route, from 0 (its `index`) */
                index: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateShipmentStop: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description The stop's position in the route, from 0 (its `index`) */
                index: number;
            };
            cookie?: never;
        };
        /** @description Only the fields sent change; `contact` is replaced whole */
        requestBody: {
            content: {
                "application/json": {
                    type?: "pickup" | "delivery" | "waypoint";
                    name?: string | null;
                    address?: string | null;
                    lat?: number | null;
                    lon?: number | null;
                    reference?: string | null;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    window_start?: string | null;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    window_end?: string | null;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    eta?: string | null;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    arrived_at?: string | null;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    departed_at?: string | null;
                    contact?: {
                        name?: string | null;
                        /** Format: email */
                        email?: string | null;
                    } | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @description Position in the route, from 0; the {index} of the stop routes */
                        index: number;
                        type: "pickup" | "delivery" | "waypoint";
                        name: string | null;
                        address: string | null;
                        lat: number | null;
                        lon: number | null;
                        reference: string | null;
                        /** Format: date-time */
                        window_start: string | null;
                        /** Format: date-time */
                        window_end: string | null;
                        /** Format: date-time */
                        eta: string | null;
                        /** Format: date-time */
                        arrived_at: string | null;
                        /** Format: date-time */
                        departed_at: string | null;
                        contact: {
                            name: string | null;
                            email: string | null;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordStopEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description The stop's position in the route, from 0 (its `index`) */
                index: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    type: "arrived" | "departed";
                    /**
                     * Format: date-time
                     * @description When it happened (ISO 8601); default: now
                     */
                    at?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Shipment"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listShipments: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                status?: "draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception";
                kind?: "order" | "consignment" | "vehicle" | "tracker_session";
                reference?: string;
                /** @description Reference, title or customer reference contains */
                q?: string;
                /** @description Only shipments with (true) / without (false) an active tracking link */
                tracked?: boolean;
                /** @description Only the shipments partner organizations shared with you */
                shared?: boolean;
                /** @description Your shipments and those partner organizations shared with you, newest first */
                include_shared?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: (components["schemas"]["Shipment"] | components["schemas"]["PartnerShipment"])[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createShipment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    kind: "order" | "consignment" | "vehicle" | "tracker_session";
                    reference: string;
                    title?: string | null;
                    status?: "draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception";
                    stages?: string[];
                    current_stage?: number | null;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    eta?: string | null;
                    customer_reference?: string | null;
                    container_number?: string | null;
                    transport_service?: string | null;
                    custom_fields?: {
                        key: string;
                        value: string;
                        shareable?: boolean;
                    }[];
                    extra_fields?: {
                        key: string;
                        value: string;
                        shareable?: boolean;
                    }[];
                    /** @description Free-form beyond the named fields: at most 16 levels deep and 64 KB as JSON */
                    internal?: {
                        vin?: string | null;
                        stock_number?: string | null;
                        cost?: number | null;
                        price?: number | null;
                        payments?: unknown[];
                        line_items?: unknown[];
                        messages?: unknown[];
                    } & {
                        [key: string]: unknown;
                    };
                    stops?: {
                        type: "pickup" | "delivery" | "waypoint";
                        name?: string | null;
                        address?: string | null;
                        lat?: number | null;
                        lon?: number | null;
                        reference?: string | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                         */
                        window_start?: string | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                         */
                        window_end?: string | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                         */
                        eta?: string | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                         */
                        arrived_at?: string | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                         */
                        departed_at?: string | null;
                        contact?: {
                            name?: string | null;
                            /** Format: email */
                            email?: string | null;
                        } | null;
                    }[];
                    cargo?: {
                        description: string;
                        quantity?: number | null;
                        packaging?: string | null;
                        weight_kg?: number | null;
                    }[];
                    segments?: {
                        name?: string | null;
                        from_stop?: number | null;
                        to_stop?: number | null;
                    }[];
                    contacts?: {
                        name?: string | null;
                        /** Format: email */
                        email: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Shipment"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getShipment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Shipment"] | components["schemas"]["PartnerShipment"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteShipment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateShipment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    kind?: "order" | "consignment" | "vehicle" | "tracker_session";
                    reference?: string;
                    title?: string | null;
                    status?: "draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception";
                    stages?: string[];
                    current_stage?: number | null;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    eta?: string | null;
                    customer_reference?: string | null;
                    container_number?: string | null;
                    transport_service?: string | null;
                    custom_fields?: {
                        key: string;
                        value: string;
                        shareable?: boolean;
                    }[];
                    extra_fields?: {
                        key: string;
                        value: string;
                        shareable?: boolean;
                    }[];
                    /** @description Free-form beyond the named fields: at most 16 levels deep and 64 KB as JSON */
                    internal?: {
                        vin?: string | null;
                        stock_number?: string | null;
                        cost?: number | null;
                        price?: number | null;
                        payments?: unknown[];
                        line_items?: unknown[];
                        messages?: unknown[];
                    } & {
                        [key: string]: unknown;
                    };
                    stops?: {
                        type: "pickup" | "delivery" | "waypoint";
                        name?: string | null;
                        address?: string | null;
                        lat?: number | null;
                        lon?: number | null;
                        reference?: string | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                         */
                        window_start?: string | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                         */
                        window_end?: string | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                         */
                        eta?: string | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                         */
                        arrived_at?: string | null;
                        /**
                         * Format: date-time
                         * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                         */
                        departed_at?: string | null;
                        contact?: {
                            name?: string | null;
                            /** Format: email */
                            email?: string | null;
                        } | null;
                    }[];
                    cargo?: {
                        description: string;
                        quantity?: number | null;
                        packaging?: string | null;
                        weight_kg?: number | null;
                    }[];
                    segments?: {
                        name?: string | null;
                        from_stop?: number | null;
                        to_stop?: number | null;
                    }[];
                    contacts?: {
                        name?: string | null;
                        /** Format: email */
                        email: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Shipment"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listShipmentEvents: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @description shipment_created, status_changed, stop_arrived, stop_departed, eta_changed, stage_changed */
                            type: string;
                            data: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            occurred_at: string;
                            /** Format: date-time */
                            created_at: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordShipmentEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    type: "status_changed";
                    status: "draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception";
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    occurred_at?: string;
                } | {
                    type: "stop_arrived" | "stop_departed";
                    stop_index: number;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    occurred_at?: string;
                } | {
                    /** @enum {string} */
                    type: "stage_changed";
                    current_stage: number;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    occurred_at?: string;
                } | {
                    /** @enum {string} */
                    type: "eta_changed";
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    eta: string | null;
                    stop_index?: number;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    occurred_at?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Shipment"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addShipmentNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    scope: "internal" | "customer";
                    body: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        scope: "internal" | "customer";
                        body: string;
                        author: string | null;
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteShipmentNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                noteId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addShipmentPhoto: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description The file, one per request (the part may have any name)
                     */
                    file: string;
                } & {
                    [key: string]: string;
                };
                "image/jpeg": string;
                "image/png": string;
                "image/webp": string;
                "image/gif": string;
                "application/pdf": string;
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        content_type: string;
                        size_bytes: number;
                        caption: string | null;
                        url: string;
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getShipmentPhoto: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                photoId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The photo */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                    "image/png": string;
                    "image/webp": string;
                    "image/gif": string;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteShipmentPhoto: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                photoId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setShipmentHeroPhoto: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    photo_id: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Shipment"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addPalletScan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cargo_index?: number | null;
                    stop_index?: number | null;
                    /** @description e.g. loaded, unloaded, scanned, damaged */
                    event: string;
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    scanned_at?: string;
                    code?: string | null;
                    place?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        cargo_index: number | null;
                        stop_index: number | null;
                        event: string;
                        code: string | null;
                        place: string | null;
                        /** Format: date-time */
                        scanned_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProofOfDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The proof of delivery */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                    "image/png": string;
                    "image/webp": string;
                    "image/gif": string;
                    "application/pdf": string;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setProofOfDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description The file, one per request (the part may have any name)
                     */
                    file: string;
                } & {
                    [key: string]: string;
                };
                "image/jpeg": string;
                "image/png": string;
                "image/webp": string;
                "image/gif": string;
                "application/pdf": string;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Shipment"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addShipmentContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string | null;
                    /** Format: email */
                    email: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string | null;
                        email: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteShipmentContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                contactId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPartners: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            org_id: string;
                            name: string;
                            handle: string | null;
                            /** Format: date-time */
                            since: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    endPartnership: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSentPartnerInvitations: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @description What you typed: "@handle" or an email */
                            address: string;
                            /** @description A declined invitation stays pending here until it expires, like one nobody answered: the inviter never learns that an address named an organization unless it accepts */
                            state: "pending" | "accepted" | "withdrawn" | "expired";
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            expires_at: string;
                            /** Format: date-time */
                            responded_at: string | null;
                            /** @description The organization, once it accepted */
                            partner: {
                                org_id: string;
                                name: string;
                                handle: string | null;
                            } | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    invitePartner: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The partner organization's public handle (with or without @), or the email of one of its owners or admins */
        requestBody: {
            content: {
                "application/json": {
                    /** @description e.g. "acme-haulage" or "@acme-haulage" */
                    handle: string;
                } | {
                    /** Format: email */
                    email: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @description What you typed: "@handle" or an email */
                        address: string;
                        /** @description A declined invitation stays pending here until it expires, like one nobody answered: the inviter never learns that an address named an organization unless it accepts */
                        state: "pending" | "accepted" | "withdrawn" | "expired";
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        expires_at: string;
                        /** Format: date-time */
                        responded_at: string | null;
                        /** @description The organization, once it accepted */
                        partner: {
                            org_id: string;
                            name: string;
                            handle: string | null;
                        } | null;
                        message: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listReceivedPartnerInvitations: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            from: {
                                org_id: string;
                                name: string;
                                handle: string | null;
                            };
                            /** @description How you were addressed: your handle or one of your admins */
                            address: string;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            expires_at: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    acceptPartnerInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    declinePartnerInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    withdrawPartnerInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listShipmentPartners: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            org_id: string;
                            name: string;
                            handle: string | null;
                            partner_org_id: string;
                            /** Format: date-time */
                            created_at: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    shareShipment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    partner_org_id: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            org_id: string;
                            name: string;
                            handle: string | null;
                            partner_org_id: string;
                            /** Format: date-time */
                            created_at: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unshareShipment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                partnerOrgId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTemplateVariables: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description e.g. shipment.reference */
                            name: string;
                            /** @description What to write in a template, e.g. {{shipment.reference}} */
                            token: string;
                            description: string;
                            example: string;
                            /** @description Whether this organization may use it now */
                            available: boolean;
                            unavailable_reason: string | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listEmailTemplates: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            name: string;
                            subject: string;
                            html: string;
                            text: string;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createEmailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    subject: string;
                    html: string;
                    text: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        subject: string;
                        html: string;
                        text: string;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    previewEmailTemplateDraft: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    subject: string;
                    html: string;
                    text: string;
                    shipment_id: string;
                    stop_index?: number;
                    recipient?: {
                        name?: string;
                        /** Format: email */
                        email?: string;
                    };
                };
            };
        };
        responses: {
            /** @description The template filled in for the shipment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        subject: string;
                        html: string;
                        text: string;
                        /** @description Variables the template uses that render empty because a recipient's link (with the org's link template) does not show their part */
                        warnings: {
                            variable: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEmailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        subject: string;
                        html: string;
                        text: string;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replaceEmailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    subject: string;
                    html: string;
                    text: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        subject: string;
                        html: string;
                        text: string;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteEmailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateEmailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    subject?: string;
                    html?: string;
                    text?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        subject: string;
                        html: string;
                        text: string;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    previewEmailTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    shipment_id: string;
                    stop_index?: number;
                    recipient?: {
                        name?: string;
                        /** Format: email */
                        email?: string;
                    };
                };
            };
        };
        responses: {
            /** @description The template filled in for the shipment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        subject: string;
                        html: string;
                        text: string;
                        /** @description Variables the template uses that render empty because a recipient's link (with the org's link template) does not show their part */
                        warnings: {
                            variable: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listContactTasks: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            name: string;
                            trigger: "shipment_created" | "status_changed" | "stop_arrived" | "stop_departed" | "eta_changed";
                            status: ("draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception") | (never | null);
                            eta_change_minutes: number | null;
                            level: "shipment" | "stop";
                            recipients: string[];
                            template_id: string;
                            enabled: boolean;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createContactTask: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    trigger: "shipment_created" | "status_changed" | "stop_arrived" | "stop_departed" | "eta_changed";
                    /** @description status_changed only: fire when the shipment enters this status (null: any change) */
                    status?: ("draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception") | (never | null);
                    /** @description eta_changed only: fire when the ETA moves by more than this */
                    eta_change_minutes?: number | null;
                    level: "shipment" | "stop";
                    recipients: ("stop_contact" | "shipment_contacts" | string)[];
                    template_id: string;
                    /** @default true */
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        trigger: "shipment_created" | "status_changed" | "stop_arrived" | "stop_departed" | "eta_changed";
                        status: ("draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception") | (never | null);
                        eta_change_minutes: number | null;
                        level: "shipment" | "stop";
                        recipients: string[];
                        template_id: string;
                        enabled: boolean;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recalculateContactTasks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    shipment_id?: string;
                    /** @description the previous reply's next_cursor: go on with the shipments it left (not with shipment_id) */
                    cursor?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description shipments recalculated by this request */
                        shipments: number;
                        links_ensured: number;
                        emails_queued: number;
                        /** @description shipments left for later requests; 0 when done */
                        remaining: number;
                        /** @description send as cursor to go on; null when done */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getContactTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        trigger: "shipment_created" | "status_changed" | "stop_arrived" | "stop_departed" | "eta_changed";
                        status: ("draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception") | (never | null);
                        eta_change_minutes: number | null;
                        level: "shipment" | "stop";
                        recipients: string[];
                        template_id: string;
                        enabled: boolean;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    replaceContactTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    trigger: "shipment_created" | "status_changed" | "stop_arrived" | "stop_departed" | "eta_changed";
                    /** @description status_changed only: fire when the shipment enters this status (null: any change) */
                    status?: ("draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception") | (never | null);
                    /** @description eta_changed only: fire when the ETA moves by more than this */
                    eta_change_minutes?: number | null;
                    level: "shipment" | "stop";
                    recipients: ("stop_contact" | "shipment_contacts" | string)[];
                    template_id: string;
                    /** @default true */
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        trigger: "shipment_created" | "status_changed" | "stop_arrived" | "stop_departed" | "eta_changed";
                        status: ("draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception") | (never | null);
                        eta_change_minutes: number | null;
                        level: "shipment" | "stop";
                        recipients: string[];
                        template_id: string;
                        enabled: boolean;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteContactTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateContactTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    trigger?: "shipment_created" | "status_changed" | "stop_arrived" | "stop_departed" | "eta_changed";
                    /** @description status_changed only: fire when the shipment enters this status (null: any change) */
                    status?: ("draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception") | (never | null);
                    /** @description eta_changed only: fire when the ETA moves by more than this */
                    eta_change_minutes?: number | null;
                    level?: "shipment" | "stop";
                    recipients?: ("stop_contact" | "shipment_contacts" | string)[];
                    template_id?: string;
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        trigger: "shipment_created" | "status_changed" | "stop_arrived" | "stop_departed" | "eta_changed";
                        status: ("draft" | "planned" | "in_transit" | "delivered" | "cancelled" | "exception") | (never | null);
                        eta_change_minutes: number | null;
                        level: "shipment" | "stop";
                        recipients: string[];
                        template_id: string;
                        enabled: boolean;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listOutbox: {
        parameters: {
            query?: {
                status?: "pending" | "sending" | "sent" | "failed";
                kind?: "email" | "webhook";
                shipment_id?: string;
                task_id?: string;
                /** @description an email address or webhook URL */
                recipient?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            kind: "email" | "webhook";
                            status: "pending" | "sending" | "sent" | "failed";
                            recipient: string;
                            task_id: string | null;
                            shipment_id: string | null;
                            event_id: string | null;
                            event_type: string | null;
                            subject: string | null;
                            link_id: string | null;
                            attempts: number;
                            /** Format: date-time */
                            next_attempt_at: string | null;
                            last_error: string | null;
                            /** Format: date-time */
                            sent_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    retryOutbox: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    ids?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        retried: number;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            url: string;
                            events: ("link.created" | "link.first_viewed" | "link.revoked" | "link.expired")[];
                            enabled: boolean;
                            /** Format: date-time */
                            created_at: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uri */
                    url: string;
                    events: ("link.created" | "link.first_viewed" | "link.revoked" | "link.expired")[];
                    /** @default true */
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        url: string;
                        events: ("link.created" | "link.first_viewed" | "link.revoked" | "link.expired")[];
                        enabled: boolean;
                        /** Format: date-time */
                        created_at: string;
                        /** @description Shown once: signs every delivery */
                        secret: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        url: string;
                        events: ("link.created" | "link.first_viewed" | "link.revoked" | "link.expired")[];
                        enabled: boolean;
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uri */
                    url?: string;
                    events?: ("link.created" | "link.first_viewed" | "link.revoked" | "link.expired")[];
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        url: string;
                        events: ("link.created" | "link.first_viewed" | "link.revoked" | "link.expired")[];
                        enabled: boolean;
                        /** Format: date-time */
                        created_at: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        url: string;
                        events: ("link.created" | "link.first_viewed" | "link.revoked" | "link.expired")[];
                        enabled: boolean;
                        /** Format: date-time */
                        created_at: string;
                        /** @description Shown once: signs every delivery */
                        secret: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        delivery_id: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            kind: "email" | "webhook";
                            status: "pending" | "sending" | "sent" | "failed";
                            recipient: string;
                            task_id: string | null;
                            shipment_id: string | null;
                            event_id: string | null;
                            event_type: string | null;
                            subject: string | null;
                            link_id: string | null;
                            attempts: number;
                            /** Format: date-time */
                            next_attempt_at: string | null;
                            last_error: string | null;
                            /** Format: date-time */
                            sent_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listShipmentTrackingLinks: {
        parameters: {
            query?: {
                state?: "active" | "revoked" | "expired";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["TrackingLink"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createTrackingLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    recipient?: {
                        name?: string | null;
                        /** Format: email */
                        email: string;
                    } | null;
                    options?: {
                        status?: boolean | null;
                        progress?: boolean | null;
                        eta?: boolean | null;
                        reference?: boolean | null;
                        stops?: boolean | null;
                        stop_references?: boolean | null;
                        estimated_times?: boolean | null;
                        cargo?: boolean | null;
                        pallet_scans?: boolean | null;
                        customer_reference?: boolean | null;
                        container_number?: boolean | null;
                        transport_service?: boolean | null;
                        custom_fields?: boolean | null;
                        extra_fields?: boolean | null;
                        hero_photo?: boolean | null;
                        customer_notes?: boolean | null;
                        proof_of_delivery?: boolean | null;
                        map?: boolean | null;
                        history?: boolean | null;
                        driver_position?: ("always" | "en_route_to_delivery" | "never") | (never | null);
                        segments?: number[] | null;
                        layers?: ("driver" | "cargo" | "tracker")[] | null;
                        photo_ids?: string[] | null;
                    };
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    expires_at?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrackingLink"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getShipmentTracking: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        shipment_id: string;
                        /** @description Whether at least one link opens now */
                        public: boolean;
                        general: components["schemas"]["TrackingLink"] | (never | null);
                        recipient_links: components["schemas"]["TrackingLink"][];
                        active_count: number;
                        sharing_enabled: boolean;
                        billing_state: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTrackingLinks: {
        parameters: {
            query?: {
                state?: "active" | "revoked" | "expired";
                shipment_id?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["TrackingLink"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    backfillTrackingLinks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Links created */
                        created: number;
                        /** @description Shipments without a general link found */
                        checked: number;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTrackingLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrackingLink"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateTrackingLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    options?: {
                        status?: boolean | null;
                        progress?: boolean | null;
                        eta?: boolean | null;
                        reference?: boolean | null;
                        stops?: boolean | null;
                        stop_references?: boolean | null;
                        estimated_times?: boolean | null;
                        cargo?: boolean | null;
                        pallet_scans?: boolean | null;
                        customer_reference?: boolean | null;
                        container_number?: boolean | null;
                        transport_service?: boolean | null;
                        custom_fields?: boolean | null;
                        extra_fields?: boolean | null;
                        hero_photo?: boolean | null;
                        customer_notes?: boolean | null;
                        proof_of_delivery?: boolean | null;
                        map?: boolean | null;
                        history?: boolean | null;
                        driver_position?: ("always" | "en_route_to_delivery" | "never") | (never | null);
                        segments?: number[] | null;
                        layers?: ("driver" | "cargo" | "tracker")[] | null;
                        photo_ids?: string[] | null;
                    };
                    /**
                     * Format: date-time
                     * @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z
                     */
                    expires_at?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrackingLink"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeTrackingLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrackingLink"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    regenerateTrackingLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrackingLink"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTrackingLinkQrCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The QR code of the link’s URL */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/svg+xml": string;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPublicData: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicData"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPublicPhoto: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                photoId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The photo */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                    "image/png": string;
                    "image/webp": string;
                    "image/gif": string;
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPublicProofOfDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The proof of delivery */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                    "image/png": string;
                    "image/webp": string;
                    "image/gif": string;
                    "application/pdf": string;
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listDevices: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Device"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createDevice: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @description Unique within the org. Leave out for a generated one, which alone may authenticate on the bare /ingest/osmand; a device with a chosen id sends to its osmand_url (/ingest/osmand/<token>) */
                    external_id?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @description What the device sends as its id (OsmAnd id, OwnTracks user, Traccar uniqueId); a generated one is a credential, shown whole to dispatchers and above only (shortened for viewers) */
                        external_id: string;
                        /** @description Generated by the server (long and random): may authenticate alone on the bare /ingest/osmand */
                        external_id_generated: boolean;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        last_seen_at: string | null;
                        /** @description Shown once: authenticates the device (Bearer, OsmAnd URL, OwnTracks password) */
                        token: string;
                        /** @description The OsmAnd / Traccar Client server URL, token included */
                        osmand_url: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDevice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Device"];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteDevice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateDeviceToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @description What the device sends as its id (OsmAnd id, OwnTracks user, Traccar uniqueId); a generated one is a credential, shown whole to dispatchers and above only (shortened for viewers) */
                        external_id: string;
                        /** @description Generated by the server (long and random): may authenticate alone on the bare /ingest/osmand */
                        external_id_generated: boolean;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        last_seen_at: string | null;
                        /** @description Shown once: authenticates the device (Bearer, OsmAnd URL, OwnTracks password) */
                        token: string;
                        /** @description The OsmAnd / Traccar Client server URL, token included */
                        osmand_url: string;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSources: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Source"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    attachSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    device_id: string;
                    layer: "driver" | "cargo" | "tracker";
                    segment?: number | null;
                    /**
                     * Format: date-time
                     * @description When the device started carrying this shipment (default: now); may lie in the past, not in the future
                     */
                    from?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Source"];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    detachSource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                sourceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ingestPositions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Up to 1,000 positions: {device_id, recorded_at, lat, lon, accuracy_m?, speed_mps?, heading_deg?, altitude_m?, battery_pct?} */
                    positions: unknown[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accepted: number;
                        duplicates: number;
                        rejected: {
                            index: number;
                            error: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listShipmentPositions: {
        parameters: {
            query?: {
                /** @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z */
                from?: string;
                /** @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z */
                to?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            layer: "driver" | "cargo" | "tracker";
                            /** @description Owner only */
                            device_id?: string;
                            /** @description Owner only */
                            segment?: number | null;
                            /** Format: date-time */
                            recorded_at: string;
                            lat: number;
                            lon: number;
                            speed_mps: number | null;
                            heading_deg: number | null;
                            accuracy_m: number | null;
                        }[];
                        /** Format: date-time */
                        from: string | null;
                        /** Format: date-time */
                        to: string | null;
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ingestPartnerPositions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    layer?: "driver" | "cargo" | "tracker";
                    positions: unknown[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accepted: number;
                        duplicates: number;
                        rejected: {
                            index: number;
                            error: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ingestOsmandQuery: {
        parameters: {
            query?: {
                /** @description The device’s external id (bare URL only; the secret URL knows its device) */
                id?: string | string[];
                /** @description Same as id */
                deviceid?: string | string[];
                /** @description Latitude, decimal degrees */
                lat?: string | string[];
                /** @description Longitude, decimal degrees */
                lon?: string | string[];
                /** @description "lat,lon", instead of lat and lon */
                location?: string | string[];
                /** @description When the fix was taken; now when absent */
                timestamp?: string | string[];
                /** @description Knots; negative means unknown */
                speed?: string | string[];
                /** @description Heading, degrees */
                bearing?: string | string[];
                /** @description Same as bearing */
                heading?: string | string[];
                /** @description Meters */
                altitude?: string | string[];
                /** @description Meters */
                accuracy?: string | string[];
                /** @description Battery, percent */
                batt?: string | string[];
                /** @description Same as batt */
                battery?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The position is stored (empty body) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ingestOsmand: {
        parameters: {
            query?: {
                /** @description The device’s external id (bare URL only; the secret URL knows its device) */
                id?: string | string[];
                /** @description Same as id */
                deviceid?: string | string[];
                /** @description Latitude, decimal degrees */
                lat?: string | string[];
                /** @description Longitude, decimal degrees */
                lon?: string | string[];
                /** @description "lat,lon", instead of lat and lon */
                location?: string | string[];
                /** @description When the fix was taken; now when absent */
                timestamp?: string | string[];
                /** @description Knots; negative means unknown */
                speed?: string | string[];
                /** @description Heading, degrees */
                bearing?: string | string[];
                /** @description Same as bearing */
                heading?: string | string[];
                /** @description Meters */
                altitude?: string | string[];
                /** @description Meters */
                accuracy?: string | string[];
                /** @description Battery, percent */
                batt?: string | string[];
                /** @description Same as batt */
                battery?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": unknown;
            };
        };
        responses: {
            /** @description The position is stored (empty body) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ingestOsmandWithTokenQuery: {
        parameters: {
            query?: {
                /** @description The device’s external id (bare URL only; the secret URL knows its device) */
                id?: string | string[];
                /** @description Same as id */
                deviceid?: string | string[];
                /** @description Latitude, decimal degrees */
                lat?: string | string[];
                /** @description Longitude, decimal degrees */
                lon?: string | string[];
                /** @description "lat,lon", instead of lat and lon */
                location?: string | string[];
                /** @description When the fix was taken; now when absent */
                timestamp?: string | string[];
                /** @description Knots; negative means unknown */
                speed?: string | string[];
                /** @description Heading, degrees */
                bearing?: string | string[];
                /** @description Same as bearing */
                heading?: string | string[];
                /** @description Meters */
                altitude?: string | string[];
                /** @description Meters */
                accuracy?: string | string[];
                /** @description Battery, percent */
                batt?: string | string[];
                /** @description Same as batt */
                battery?: string | string[];
            };
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The position is stored (empty body) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ingestOsmandWithToken: {
        parameters: {
            query?: {
                /** @description The device’s external id (bare URL only; the secret URL knows its device) */
                id?: string | string[];
                /** @description Same as id */
                deviceid?: string | string[];
                /** @description Latitude, decimal degrees */
                lat?: string | string[];
                /** @description Longitude, decimal degrees */
                lon?: string | string[];
                /** @description "lat,lon", instead of lat and lon */
                location?: string | string[];
                /** @description When the fix was taken; now when absent */
                timestamp?: string | string[];
                /** @description Knots; negative means unknown */
                speed?: string | string[];
                /** @description Heading, degrees */
                bearing?: string | string[];
                /** @description Same as bearing */
                heading?: string | string[];
                /** @description Meters */
                altitude?: string | string[];
                /** @description Meters */
                accuracy?: string | string[];
                /** @description Battery, percent */
                batt?: string | string[];
                /** @description Same as batt */
                battery?: string | string[];
            };
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": unknown;
            };
        };
        responses: {
            /** @description The position is stored (empty body) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ingestOwnTracks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": unknown;
            };
        };
        responses: {
            /** @description Accepted; always an empty list */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown[];
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listIngestTokens: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            name: string;
                            /** @description The first characters of the token, to tell tokens apart */
                            prefix: string;
                            created_by: string | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            last_used_at: string | null;
                            /** Format: date-time */
                            revoked_at: string | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createIngestToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @description The first characters of the token, to tell tokens apart */
                        prefix: string;
                        created_by: string | null;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        last_used_at: string | null;
                        /** Format: date-time */
                        revoked_at: string | null;
                        /** @description The secret, shown only in this reply */
                        token: string;
                        traccar: {
                            /** @description traccar.xml: forward.url */
                            forward_url: string;
                            /** @description traccar.xml: forward.header */
                            forward_header: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateIngestToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @description The first characters of the token, to tell tokens apart */
                        prefix: string;
                        created_by: string | null;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        last_used_at: string | null;
                        /** Format: date-time */
                        revoked_at: string | null;
                        /** @description The secret, shown only in this reply */
                        token: string;
                        traccar: {
                            /** @description traccar.xml: forward.url */
                            forward_url: string;
                            /** @description traccar.xml: forward.header */
                            forward_header: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeIngestToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ingestTraccar: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Traccar’s PositionData as its JSON position forwarder sends it: {"position":{"fixTime","latitude","longitude","speed" (knots),"course","altitude","accuracy","valid","outdated","attributes":{"batteryLevel"…},…},"device":{"uniqueId",…}} */
        requestBody: {
            content: {
                "application/json": unknown;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        result: "stored" | "duplicate" | "ignored";
                        /** @description Why an ignored position was not stored (no GPS fix, outdated, out of range) */
                        reason?: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPublicHistory: {
        parameters: {
            query?: {
                layer?: "driver" | "cargo" | "tracker";
                /** @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z */
                from?: string;
                /** @description ISO 8601, e.g. 2026-11-25T10:00:00.000Z */
                to?: string;
            };
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        layers: {
                            layer: "driver" | "cargo" | "tracker";
                            points: number[][];
                            total: number;
                            downsampled: boolean;
                        }[];
                        /** Format: date-time */
                        from: string | null;
                        /** Format: date-time */
                        to: string | null;
                    };
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamPublicEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-Sent Events: position, status, eta and changed (positions.contract.ts) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
