/* Generated from the controller's /api/v1/openapi.json by `npm run console:api-types`; do not edit. */
export interface paths {
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The append-only audit log, newest first */
        get: operations["getApiV1Audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/head": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The chain's newest entry (id, hash, time): keep it outside NetPilot, and verify with it later to notice entries cut from the end */
        get: operations["getApiV1AuditHead"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recompute the hash chain from the first entry; names the first entry that does not fit (as `npm run cli -- audit verify`) */
        get: operations["getApiV1AuditVerify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/2fa/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Turn TOTP off with your password and a code */
        post: operations["postApiV1Auth2faDisable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/2fa/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm with a code; answers ten one-time recovery codes (shown once) */
        post: operations["postApiV1Auth2faEnable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/2fa/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start TOTP setup: the secret, an otpauth:// URL and a QR code (shown once) */
        post: operations["postApiV1Auth2faSetup"];
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
        /** Password (+ TOTP or a recovery code when 2FA is on) for an access and a refresh token */
        post: operations["postApiV1AuthLogin"];
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
        /** End this session (and its executor session); the console's refresh cookie is cleared */
        post: operations["postApiV1AuthLogout"];
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
        /** The signed-in user */
        get: operations["getApiV1AuthMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change your password; your other sessions end */
        post: operations["postApiV1AuthPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new token pair; the old refresh token is spent, and reusing a spent one ends the session. The console sends no body and x-netpilot-client: console; its refresh cookie is used (and only then). */
        post: operations["postApiV1AuthRefresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account: the first user ever becomes admin; later ones only with ALLOW_REGISTRATION=true */
        post: operations["postApiV1AuthRegister"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your active sessions, newest first (paged) */
        get: operations["getApiV1AuthSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End one of your sessions */
        delete: operations["deleteApiV1AuthSessionsId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bulk/blocks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Block one address on many routers (routerIds, or all: true). The desired state is stored for all at once; the routers are applied in the background. */
        post: operations["postApiV1BulkBlocks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bulk/unblocks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Unblock one address on many routers (routerIds, or all: true) */
        post: operations["postApiV1BulkUnblocks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/console/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the console shows before sign-in: first-run setup, open registration, a demo router */
        get: operations["getApiV1ConsoleConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/demo-router": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add the simulated router that npm start runs (its address and host key come from NETPILOT_DEMO_ROUTER); you own it */
        post: operations["postApiV1DemoRouter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Events of every router you may see (admins: all), newest first: filter by router, level, type and time */
        get: operations["getApiV1Events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/operations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A bulk operation's progress: counts and one result per router, as observed now */
        get: operations["getApiV1OperationsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Routers you own or are assigned (an admin sees all), oldest first */
        get: operations["getApiV1Routers"];
        put?: never;
        /** Add a router; the creator owns it. Credentials are write-only. */
        post: operations["postApiV1Routers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One router */
        get: operations["getApiV1RoutersId"];
        put?: never;
        post?: never;
        /** Remove a router (owner or admin) */
        delete: operations["deleteApiV1RoutersId"];
        options?: never;
        head?: never;
        /** Change a router (owner or admin). Moving it forgets its pinned host key; ownerId (admins) gives it a new owner. */
        patch: operations["patchApiV1RoutersId"];
        trace?: never;
    };
    "/api/v1/routers/{id}/assignments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Users assigned to a router, oldest first (owner or admin; paged) */
        get: operations["getApiV1RoutersIdAssignments"];
        put?: never;
        /** Let another user use this router (owner or admin) */
        post: operations["postApiV1RoutersIdAssignments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/assignments/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove an assignment (owner or admin) */
        delete: operations["deleteApiV1RoutersIdAssignmentsUserId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/blocks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The desired blocks and their state */
        get: operations["getApiV1RoutersIdBlocks"];
        put?: never;
        /** Block a device's traffic by IP or MAC. Stored as desired state; pending when the router is unreachable. */
        post: operations["postApiV1RoutersIdBlocks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/blocks/{blockId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Unblock. When the router is unreachable the block waits in state removing for sync. */
        delete: operations["deleteApiV1RoutersIdBlocksBlockId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Command history, newest first */
        get: operations["getApiV1RoutersIdCommands"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/devices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The device inventory: names, what blocks each device now, first and last seen */
        get: operations["getApiV1RoutersIdDevices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/devices/{deviceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Name a device (null forgets the name); blocks and schedules for it show the name */
        patch: operations["patchApiV1RoutersIdDevicesDeviceId"];
        trace?: never;
    };
    "/api/v1/routers/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A router's events, newest first: filter by level, type and time */
        get: operations["getApiV1RoutersIdEvents"];
        put?: never;
        /** The router reports an event about itself (router token only; rate-limited per router) */
        post: operations["postApiV1RoutersIdEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The router says it is alive (router token only) */
        post: operations["postApiV1RoutersIdHeartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Uptime, load, memory, OS/firmware, hostname */
        get: operations["getApiV1RoutersIdInfo"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/network": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** The router reports its network after a DHCP change: WAN/LAN address, tunnel port (router token only; held to the destination rules) */
        patch: operations["patchApiV1RoutersIdNetwork"];
        trace?: never;
    };
    "/api/v1/routers/{id}/provision-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A one-time key for the router to register itself (stored hashed, expiring) */
        post: operations["postApiV1RoutersIdProvisionKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/scan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Devices seen now (neighbours + DHCP leases), merged into the inventory; a MAC seen for the first time is a device.new event */
        post: operations["postApiV1RoutersIdScan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The router's schedules, each with whether it blocks now and when that changes */
        get: operations["getApiV1RoutersIdSchedules"];
        put?: never;
        /** Block a device (deviceId, mac or ip) during weekly windows in the router's time zone; a window open now blocks at once */
        post: operations["postApiV1RoutersIdSchedules"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/schedules/{scheduleId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One schedule */
        get: operations["getApiV1RoutersIdSchedulesScheduleId"];
        put?: never;
        post?: never;
        /** Delete a schedule; during an open window the device is unblocked, unless a manual block holds it */
        delete: operations["deleteApiV1RoutersIdSchedulesScheduleId"];
        options?: never;
        head?: never;
        /** Change a schedule: target, windows, label; enabled false pauses it (the device is unblocked unless a manual block holds it) */
        patch: operations["patchApiV1RoutersIdSchedulesScheduleId"];
        trace?: never;
    };
    "/api/v1/routers/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Online, offline or unknown, from heartbeats */
        get: operations["getApiV1RoutersIdStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make the router's block set equal the stored blocks now (apply pending, remove extras); the reconciler does the same by itself */
        post: operations["postApiV1RoutersIdSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/{id}/token/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new router token (shown once); the previous one keeps working for ROUTER_TOKEN_GRACE_SECONDS (owner or admin) */
        post: operations["postApiV1RoutersIdTokenRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routers/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A router's install script exchanges its one-time provision key for a router token */
        post: operations["postApiV1RoutersRegister"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All active sessions, newest first (paged) */
        get: operations["getApiV1Sessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End a session: its access token stops working within 10 s and its executor session ends */
        delete: operations["deleteApiV1SessionsId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live updates (text/event-stream) for what you may see: router.status, command.finished, block.changed, session.revoked (admins), session.terminated (yours; the stream then ends), resync (fetch everything again). Each event carries {routerId, ids}; fetch details over the API. A comment line every ~15 s keeps the connection alive. */
        get: operations["getApiV1Stream"];
        put?: never;
        post?: never;
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
        /** All users, oldest first (paged) */
        get: operations["getApiV1Users"];
        put?: never;
        /** Create a user */
        post: operations["postApiV1Users"];
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
        /** One user */
        get: operations["getApiV1UsersId"];
        put?: never;
        post?: never;
        /** Delete a user */
        delete: operations["deleteApiV1UsersId"];
        options?: never;
        head?: never;
        /** Change role, disable (ends their sessions), reset password or 2FA */
        patch: operations["patchApiV1UsersId"];
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            error: {
                code: string;
                details?: unknown;
                message: string;
                requestId: string | null;
            };
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
    getApiV1Audit: {
        parameters: {
            query?: {
                action?: string;
                actor?: string;
                cursor?: string;
                from?: string;
                limit?: number;
                router?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            action: string;
                            actorIp: string | null;
                            actorUserId: string | null;
                            actorUsername: string | null;
                            /** Format: date-time */
                            at: string;
                            details: Record<string, never>;
                            id: string;
                            outcome: string;
                            targetId: string | null;
                            targetType: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1AuditHead: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The head, or null while the log is empty */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        head: {
                            /** Format: date-time */
                            at: string;
                            hash: string;
                            id: string;
                        } | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1AuditVerify: {
        parameters: {
            query?: {
                headHash?: string;
                headId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The verdict (ok false names the first bad entry); with headId and headHash, also whether that exported head is still there */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: number;
                        firstBadId?: string;
                        message?: string;
                        ok: boolean;
                        /** @enum {string} */
                        reason?: "hash_mismatch" | "prev_hash_mismatch" | "router_id_mismatch" | "head_missing" | "head_mismatch";
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1Auth2faDisable: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Disabled */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description MFA_INVALID: wrong code */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INVALID_PASSWORD */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not enabled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failures; see Retry-After */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1Auth2faEnable: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description Enabled */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        recoveryCodes: string[];
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description MFA_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not set up, or already on */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failures; see Retry-After */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1Auth2faSetup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Scan this */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        otpauthUrl: string;
                        qrCodeDataUrl: string;
                        secret: string;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Already enabled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1AuthLogin: {
        parameters: {
            query?: never;
            header?: {
                /** @description "console": the refresh token travels as the HttpOnly cookie netpilot_refresh (Path=/api/v1/auth, SameSite=Strict) and is left out of the body */
                "x-netpilot-client"?: "console";
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                    totp?: string;
                    username: string;
                };
            };
        };
        responses: {
            /** @description Logged in */
            200: {
                headers: {
                    /** @description netpilot_refresh (only with x-netpilot-client: console) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessToken: string;
                        expiresIn: number;
                        refreshToken?: string;
                        /** @enum {string} */
                        tokenType: "Bearer";
                        /** User */
                        user: {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            role: "admin" | "user";
                            totpEnabled: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        };
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Bad credentials, MFA_REQUIRED or MFA_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description ACCOUNT_DISABLED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failures; see Retry-After */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1AuthLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Logged out */
            204: {
                headers: {
                    /** @description netpilot_refresh cleared */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1AuthMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description You */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** User */
                        user: {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            role: "admin" | "user";
                            totpEnabled: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        };
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1AuthPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currentPassword: string;
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description Changed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description INVALID_PASSWORD: the current password is wrong */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many failures; see Retry-After */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1AuthRefresh: {
        parameters: {
            query?: never;
            header?: {
                /** @description "console": the refresh token travels as the HttpOnly cookie netpilot_refresh (Path=/api/v1/auth, SameSite=Strict) and is left out of the body */
                "x-netpilot-client"?: "console";
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    refreshToken?: string;
                };
            };
        };
        responses: {
            /** @description New tokens */
            200: {
                headers: {
                    /** @description netpilot_refresh (only with x-netpilot-client: console) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accessToken: string;
                        expiresIn: number;
                        refreshToken?: string;
                        /** @enum {string} */
                        tokenType: "Bearer";
                        /** User */
                        user: {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            role: "admin" | "user";
                            totpEnabled: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        };
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Invalid, expired or reused refresh token (or no refresh cookie) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests from this address, or too many at once; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1AuthRegister: {
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
                    email?: string | null;
                    password: string;
                    username: string;
                };
            };
        };
        responses: {
            /** @description Registered */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** User */
                        user: {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            role: "admin" | "user";
                            totpEnabled: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        };
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Registration closed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Username taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests from this address, or too many at once; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1AuthSessions: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sessions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            current?: boolean;
                            /** Format: date-time */
                            expiresAt: string;
                            /** Format: uuid */
                            id: string;
                            ip: string | null;
                            /** Format: date-time */
                            lastUsedAt: string;
                            userAgent: string | null;
                            /** Format: uuid */
                            userId: string;
                            username?: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1AuthSessionsId: {
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
            /** @description Ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session of yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1BulkBlocks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Every router you may operate */
                    all?: boolean;
                    ip?: string;
                    mac?: string;
                    reason?: string;
                    /** @description The routers, at most 1,000; or all: true */
                    routerIds?: string[];
                    /**
                     * Format: date-time
                     * @description Temporary: the blocks end by themselves at this time (future, at most a year away)
                     */
                    until?: string;
                };
            };
        };
        responses: {
            /** @description Accepted: follow it with GET /operations/:id (routers you may not operate are listed as ROUTER_NOT_FOUND) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        failed: number;
                        /** Format: date-time */
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        ip?: string;
                        /** @enum {string} */
                        kind: "block" | "unblock";
                        mac?: string;
                        /** @description Routers that could not be reached: the reconciler applies the change when they are back */
                        pending: number;
                        /** @description Routers not tried yet */
                        queued: number;
                        reason: string | null;
                        results: {
                            error?: {
                                code: string;
                                message: string;
                            };
                            /** Format: uuid */
                            routerId: string;
                            /** @enum {string} */
                            status: "queued" | "applied" | "removed" | "pending" | "failed";
                        }[];
                        /**
                         * @description done: every router was tried; pending ones are the reconciler's now
                         * @enum {string}
                         */
                        status: "running" | "done";
                        succeeded: number;
                        total: number;
                        /** Format: date-time */
                        until: string | null;
                    };
                };
            };
            /** @description Invalid body; NO_ROUTERS (all: true and you have none); TOO_MANY_ROUTERS; BLOCK_UNTIL_INVALID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1BulkUnblocks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Every router you may operate */
                    all?: boolean;
                    ip?: string;
                    mac?: string;
                    /** @description The routers, at most 1,000; or all: true */
                    routerIds?: string[];
                };
            };
        };
        responses: {
            /** @description Accepted: follow it with GET /operations/:id (routers you may not operate are listed as ROUTER_NOT_FOUND) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        failed: number;
                        /** Format: date-time */
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        ip?: string;
                        /** @enum {string} */
                        kind: "block" | "unblock";
                        mac?: string;
                        /** @description Routers that could not be reached: the reconciler applies the change when they are back */
                        pending: number;
                        /** @description Routers not tried yet */
                        queued: number;
                        reason: string | null;
                        results: {
                            error?: {
                                code: string;
                                message: string;
                            };
                            /** Format: uuid */
                            routerId: string;
                            /** @enum {string} */
                            status: "queued" | "applied" | "removed" | "pending" | "failed";
                        }[];
                        /**
                         * @description done: every router was tried; pending ones are the reconciler's now
                         * @enum {string}
                         */
                        status: "running" | "done";
                        succeeded: number;
                        total: number;
                        /** Format: date-time */
                        until: string | null;
                    };
                };
            };
            /** @description Invalid body; NO_ROUTERS (all: true and you have none); TOO_MANY_ROUTERS */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1ConsoleConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Console settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description A simulated router runs beside this controller (POST /demo-router adds it) */
                        demoRouter: boolean;
                        /** @description Self-registration is open after the first account (ALLOW_REGISTRATION) */
                        registrationOpen: boolean;
                        /** @description No account exists yet: the first to register becomes admin */
                        setupRequired: boolean;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests from this address, or too many at once; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1DemoRouter: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Added */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        access: "owner" | "assigned" | "admin";
                        /** @enum {string} */
                        authMethod: "password" | "privateKey";
                        convergence: {
                            /** @description Why the last reconcile did not end in sync */
                            lastError: string | null;
                            /**
                             * Format: date-time
                             * @description When a reconcile last read the router
                             */
                            lastReconciledAt: string | null;
                            /**
                             * @description What the last reconcile saw: in-sync (the router enforces exactly the stored blocks), drifting (it differs and a repair failed), pending (a change waits for the router), unreachable (it could not be read); null before the first one
                             * @enum {string|null}
                             */
                            state: "in-sync" | "drifting" | "pending" | "unreachable" | null;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        host: string;
                        hostKeySha256: string | null;
                        /** Format: uuid */
                        id: string;
                        jumpHost: {
                            /** @enum {string} */
                            authMethod: "password" | "privateKey";
                            host: string;
                            hostKeySha256?: string;
                            port: number;
                            username: string;
                        } | null;
                        /** Format: date-time */
                        lastSeenAt: string | null;
                        name: string;
                        options: {
                            leasesPath?: string;
                        };
                        /** Format: uuid */
                        ownerId: string;
                        /** @enum {string} */
                        platform: "openwrt" | "linux-nft" | "linux-iptables";
                        port: number;
                        /** Format: date-time */
                        registeredAt: string | null;
                        /** @enum {string} */
                        status: "unknown" | "online" | "offline";
                        /** @description IANA time zone the router's schedules are read in */
                        timeZone: string;
                        tunnelPort: number | null;
                        /** Format: date-time */
                        updatedAt: string;
                        username: string;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description DEMO_ROUTER_OFF: no demo router runs here */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1Events: {
        parameters: {
            query?: {
                cursor?: string;
                from?: string;
                level?: ("info" | "warn" | "error")[];
                limit?: number;
                router?: string;
                to?: string;
                type?: string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            data: Record<string, never> | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            level: "info" | "warn" | "error";
                            message: string;
                            /** Format: uuid */
                            routerId: string;
                            /** @description In listings */
                            routerName?: string;
                            /**
                             * @description Posted by the router itself, or observed by the controller
                             * @enum {string}
                             */
                            source: "router" | "controller";
                            type: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1OperationsId: {
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
            /** @description The operation */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        failed: number;
                        /** Format: date-time */
                        finishedAt: string | null;
                        /** Format: uuid */
                        id: string;
                        ip?: string;
                        /** @enum {string} */
                        kind: "block" | "unblock";
                        mac?: string;
                        /** @description Routers that could not be reached: the reconciler applies the change when they are back */
                        pending: number;
                        /** @description Routers not tried yet */
                        queued: number;
                        reason: string | null;
                        results: {
                            error?: {
                                code: string;
                                message: string;
                            };
                            /** Format: uuid */
                            routerId: string;
                            /** @enum {string} */
                            status: "queued" | "applied" | "removed" | "pending" | "failed";
                        }[];
                        /**
                         * @description done: every router was tried; pending ones are the reconciler's now
                         * @enum {string}
                         */
                        status: "running" | "done";
                        succeeded: number;
                        total: number;
                        /** Format: date-time */
                        until: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description OPERATION_NOT_FOUND (also for another user's) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1Routers: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of routers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @enum {string} */
                            access: "owner" | "assigned" | "admin";
                            /** @enum {string} */
                            authMethod: "password" | "privateKey";
                            convergence: {
                                /** @description Why the last reconcile did not end in sync */
                                lastError: string | null;
                                /**
                                 * Format: date-time
                                 * @description When a reconcile last read the router
                                 */
                                lastReconciledAt: string | null;
                                /**
                                 * @description What the last reconcile saw: in-sync (the router enforces exactly the stored blocks), drifting (it differs and a repair failed), pending (a change waits for the router), unreachable (it could not be read); null before the first one
                                 * @enum {string|null}
                                 */
                                state: "in-sync" | "drifting" | "pending" | "unreachable" | null;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            host: string;
                            hostKeySha256: string | null;
                            /** Format: uuid */
                            id: string;
                            jumpHost: {
                                /** @enum {string} */
                                authMethod: "password" | "privateKey";
                                host: string;
                                hostKeySha256?: string;
                                port: number;
                                username: string;
                            } | null;
                            /** Format: date-time */
                            lastSeenAt: string | null;
                            name: string;
                            options: {
                                leasesPath?: string;
                            };
                            /** Format: uuid */
                            ownerId: string;
                            /** @enum {string} */
                            platform: "openwrt" | "linux-nft" | "linux-iptables";
                            port: number;
                            /** Format: date-time */
                            registeredAt: string | null;
                            /** @enum {string} */
                            status: "unknown" | "online" | "offline";
                            /** @description IANA time zone the router's schedules are read in */
                            timeZone: string;
                            tunnelPort: number | null;
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1Routers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    host: string;
                    hostKeySha256?: string;
                    jumpHost?: {
                        host: string;
                        hostKeySha256?: string;
                        passphrase?: string;
                        password?: string;
                        /** @default 22 */
                        port?: number;
                        privateKey?: string;
                        username: string;
                    };
                    name: string;
                    /** @default {} */
                    options?: {
                        leasesPath?: string;
                    };
                    passphrase?: string;
                    password?: string;
                    /** @enum {string} */
                    platform: "openwrt" | "linux-nft" | "linux-iptables";
                    /** @default 22 */
                    port?: number;
                    privateKey?: string;
                    /**
                     * @description The router's time zone (IANA name): schedules are read in it
                     * @default UTC
                     */
                    timeZone?: string;
                    tunnelPort?: number;
                    username: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        access: "owner" | "assigned" | "admin";
                        /** @enum {string} */
                        authMethod: "password" | "privateKey";
                        convergence: {
                            /** @description Why the last reconcile did not end in sync */
                            lastError: string | null;
                            /**
                             * Format: date-time
                             * @description When a reconcile last read the router
                             */
                            lastReconciledAt: string | null;
                            /**
                             * @description What the last reconcile saw: in-sync (the router enforces exactly the stored blocks), drifting (it differs and a repair failed), pending (a change waits for the router), unreachable (it could not be read); null before the first one
                             * @enum {string|null}
                             */
                            state: "in-sync" | "drifting" | "pending" | "unreachable" | null;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        host: string;
                        hostKeySha256: string | null;
                        /** Format: uuid */
                        id: string;
                        jumpHost: {
                            /** @enum {string} */
                            authMethod: "password" | "privateKey";
                            host: string;
                            hostKeySha256?: string;
                            port: number;
                            username: string;
                        } | null;
                        /** Format: date-time */
                        lastSeenAt: string | null;
                        name: string;
                        options: {
                            leasesPath?: string;
                        };
                        /** Format: uuid */
                        ownerId: string;
                        /** @enum {string} */
                        platform: "openwrt" | "linux-nft" | "linux-iptables";
                        port: number;
                        /** Format: date-time */
                        registeredAt: string | null;
                        /** @enum {string} */
                        status: "unknown" | "online" | "offline";
                        /** @description IANA time zone the router's schedules are read in */
                        timeZone: string;
                        tunnelPort: number | null;
                        /** Format: date-time */
                        updatedAt: string;
                        username: string;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1RoutersId: {
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
            /** @description The router */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        access: "owner" | "assigned" | "admin";
                        /** @enum {string} */
                        authMethod: "password" | "privateKey";
                        convergence: {
                            /** @description Why the last reconcile did not end in sync */
                            lastError: string | null;
                            /**
                             * Format: date-time
                             * @description When a reconcile last read the router
                             */
                            lastReconciledAt: string | null;
                            /**
                             * @description What the last reconcile saw: in-sync (the router enforces exactly the stored blocks), drifting (it differs and a repair failed), pending (a change waits for the router), unreachable (it could not be read); null before the first one
                             * @enum {string|null}
                             */
                            state: "in-sync" | "drifting" | "pending" | "unreachable" | null;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        host: string;
                        hostKeySha256: string | null;
                        /** Format: uuid */
                        id: string;
                        jumpHost: {
                            /** @enum {string} */
                            authMethod: "password" | "privateKey";
                            host: string;
                            hostKeySha256?: string;
                            port: number;
                            username: string;
                        } | null;
                        /** Format: date-time */
                        lastSeenAt: string | null;
                        name: string;
                        options: {
                            leasesPath?: string;
                        };
                        /** Format: uuid */
                        ownerId: string;
                        /** @enum {string} */
                        platform: "openwrt" | "linux-nft" | "linux-iptables";
                        port: number;
                        /** Format: date-time */
                        registeredAt: string | null;
                        /** @enum {string} */
                        status: "unknown" | "online" | "offline";
                        /** @description IANA time zone the router's schedules are read in */
                        timeZone: string;
                        tunnelPort: number | null;
                        /** Format: date-time */
                        updatedAt: string;
                        username: string;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1RoutersId: {
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
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Assigned users cannot remove it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1RoutersId: {
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
                    host?: string;
                    hostKeySha256?: string | null;
                    jumpHost?: {
                        host: string;
                        hostKeySha256?: string;
                        passphrase?: string;
                        password?: string;
                        /** @default 22 */
                        port?: number;
                        privateKey?: string;
                        username: string;
                    } | null;
                    name?: string;
                    options?: {
                        leasesPath?: string;
                    };
                    /** Format: uuid */
                    ownerId?: string;
                    passphrase?: string;
                    password?: string;
                    /** @enum {string} */
                    platform?: "openwrt" | "linux-nft" | "linux-iptables";
                    port?: number;
                    privateKey?: string;
                    /** @description The router's time zone (IANA name): schedules are read in it */
                    timeZone?: string;
                    tunnelPort?: number | null;
                    username?: string;
                };
            };
        };
        responses: {
            /** @description The router */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        access: "owner" | "assigned" | "admin";
                        /** @enum {string} */
                        authMethod: "password" | "privateKey";
                        convergence: {
                            /** @description Why the last reconcile did not end in sync */
                            lastError: string | null;
                            /**
                             * Format: date-time
                             * @description When a reconcile last read the router
                             */
                            lastReconciledAt: string | null;
                            /**
                             * @description What the last reconcile saw: in-sync (the router enforces exactly the stored blocks), drifting (it differs and a repair failed), pending (a change waits for the router), unreachable (it could not be read); null before the first one
                             * @enum {string|null}
                             */
                            state: "in-sync" | "drifting" | "pending" | "unreachable" | null;
                        };
                        /** Format: date-time */
                        createdAt: string;
                        host: string;
                        hostKeySha256: string | null;
                        /** Format: uuid */
                        id: string;
                        jumpHost: {
                            /** @enum {string} */
                            authMethod: "password" | "privateKey";
                            host: string;
                            hostKeySha256?: string;
                            port: number;
                            username: string;
                        } | null;
                        /** Format: date-time */
                        lastSeenAt: string | null;
                        name: string;
                        options: {
                            leasesPath?: string;
                        };
                        /** Format: uuid */
                        ownerId: string;
                        /** @enum {string} */
                        platform: "openwrt" | "linux-nft" | "linux-iptables";
                        port: number;
                        /** Format: date-time */
                        registeredAt: string | null;
                        /** @enum {string} */
                        status: "unknown" | "online" | "offline";
                        /** @description IANA time zone the router's schedules are read in */
                        timeZone: string;
                        tunnelPort: number | null;
                        /** Format: date-time */
                        updatedAt: string;
                        username: string;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Assigned users cannot change it; only admins change its owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description ROUTER_NOT_FOUND, or USER_NOT_FOUND for an unknown ownerId */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1RoutersIdAssignments: {
        parameters: {
            query?: {
                cursor?: string;
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
            /** @description A page of assignments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            assignedBy: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            routerId: string;
                            /** Format: uuid */
                            userId: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1RoutersIdAssignments: {
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
                    /** Format: uuid */
                    userId: string;
                };
            };
        };
        responses: {
            /** @description Already assigned */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Assigned */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1RoutersIdAssignmentsUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1RoutersIdBlocks: {
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
            /** @description Blocks */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            appliedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            createdBy: string | null;
                            /**
                             * Format: uuid
                             * @description The device this address belongs to, when the inventory knows it
                             */
                            deviceId: string | null;
                            /** @description That device's name (or DHCP hostname) */
                            deviceName: string | null;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            /** Format: uuid */
                            id: string;
                            ip?: string;
                            mac?: string;
                            reason: string | null;
                            /** Format: uuid */
                            routerId: string;
                            /**
                             * @description pending: not on the router yet; applied: the router accepted it; removing: an unblock waits for the router; removed: the answer of an unblock that took it off
                             * @enum {string}
                             */
                            status: "pending" | "applied" | "removing" | "removed";
                            /**
                             * Format: date-time
                             * @description When a temporary block ends by itself; null: until unblocked
                             */
                            until: string | null;
                            /**
                             * Format: date-time
                             * @description The last time the router was seen enforcing this block (a block that succeeded, or a reconcile that listed it)
                             */
                            verifiedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1RoutersIdBlocks: {
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
                    /**
                     * Format: uuid
                     * @description A device of the inventory: blocked by its MAC
                     */
                    deviceId?: string;
                    ip?: string;
                    mac?: string;
                    reason?: string;
                    /**
                     * Format: date-time
                     * @description A temporary block: it ends by itself at this time (future, at most a year away)
                     */
                    until?: string;
                };
            };
        };
        responses: {
            /** @description Already blocked; enforced again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        appliedAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        createdBy: string | null;
                        /**
                         * Format: uuid
                         * @description The device this address belongs to, when the inventory knows it
                         */
                        deviceId: string | null;
                        /** @description That device's name (or DHCP hostname) */
                        deviceName: string | null;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        /** Format: uuid */
                        id: string;
                        ip?: string;
                        mac?: string;
                        reason: string | null;
                        /** Format: uuid */
                        routerId: string;
                        /**
                         * @description pending: not on the router yet; applied: the router accepted it; removing: an unblock waits for the router; removed: the answer of an unblock that took it off
                         * @enum {string}
                         */
                        status: "pending" | "applied" | "removing" | "removed";
                        /**
                         * Format: date-time
                         * @description When a temporary block ends by itself; null: until unblocked
                         */
                        until: string | null;
                        /**
                         * Format: date-time
                         * @description The last time the router was seen enforcing this block (a block that succeeded, or a reconcile that listed it)
                         */
                        verifiedAt: string | null;
                    };
                };
            };
            /** @description Blocked (new) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        appliedAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        createdBy: string | null;
                        /**
                         * Format: uuid
                         * @description The device this address belongs to, when the inventory knows it
                         */
                        deviceId: string | null;
                        /** @description That device's name (or DHCP hostname) */
                        deviceName: string | null;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        /** Format: uuid */
                        id: string;
                        ip?: string;
                        mac?: string;
                        reason: string | null;
                        /** Format: uuid */
                        routerId: string;
                        /**
                         * @description pending: not on the router yet; applied: the router accepted it; removing: an unblock waits for the router; removed: the answer of an unblock that took it off
                         * @enum {string}
                         */
                        status: "pending" | "applied" | "removing" | "removed";
                        /**
                         * Format: date-time
                         * @description When a temporary block ends by itself; null: until unblocked
                         */
                        until: string | null;
                        /**
                         * Format: date-time
                         * @description The last time the router was seen enforcing this block (a block that succeeded, or a reconcile that listed it)
                         */
                        verifiedAt: string | null;
                    };
                };
            };
            /** @description Stored as pending: the router is unreachable now; the reconciler applies it when it is back */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        appliedAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        createdBy: string | null;
                        /**
                         * Format: uuid
                         * @description The device this address belongs to, when the inventory knows it
                         */
                        deviceId: string | null;
                        /** @description That device's name (or DHCP hostname) */
                        deviceName: string | null;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        /** Format: uuid */
                        id: string;
                        ip?: string;
                        mac?: string;
                        reason: string | null;
                        /** Format: uuid */
                        routerId: string;
                        /**
                         * @description pending: not on the router yet; applied: the router accepted it; removing: an unblock waits for the router; removed: the answer of an unblock that took it off
                         * @enum {string}
                         */
                        status: "pending" | "applied" | "removing" | "removed";
                        /**
                         * Format: date-time
                         * @description When a temporary block ends by itself; null: until unblocked
                         */
                        until: string | null;
                        /**
                         * Format: date-time
                         * @description The last time the router was seen enforcing this block (a block that succeeded, or a reconcile that listed it)
                         */
                        verifiedAt: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router's address now resolves to one routers may not have (ROUTER_HOST_NOT_ALLOWED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description BLOCK_WOULD_CUT_MANAGEMENT: the address is the one NetPilot reaches the router from */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router refused (auth, host key mismatch, command failed), or the executor disagreed with the controller */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Router or executor unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1RoutersIdBlocksBlockId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                blockId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unblocked and removed; or, when the same address was blocked again meanwhile, that newer block */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        appliedAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        createdBy: string | null;
                        /**
                         * Format: uuid
                         * @description The device this address belongs to, when the inventory knows it
                         */
                        deviceId: string | null;
                        /** @description That device's name (or DHCP hostname) */
                        deviceName: string | null;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        /** Format: uuid */
                        id: string;
                        ip?: string;
                        mac?: string;
                        reason: string | null;
                        /** Format: uuid */
                        routerId: string;
                        /**
                         * @description pending: not on the router yet; applied: the router accepted it; removing: an unblock waits for the router; removed: the answer of an unblock that took it off
                         * @enum {string}
                         */
                        status: "pending" | "applied" | "removing" | "removed";
                        /**
                         * Format: date-time
                         * @description When a temporary block ends by itself; null: until unblocked
                         */
                        until: string | null;
                        /**
                         * Format: date-time
                         * @description The last time the router was seen enforcing this block (a block that succeeded, or a reconcile that listed it)
                         */
                        verifiedAt: string | null;
                    };
                };
            };
            /** @description Marked removing; the router is unreachable now */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        appliedAt: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        createdBy: string | null;
                        /**
                         * Format: uuid
                         * @description The device this address belongs to, when the inventory knows it
                         */
                        deviceId: string | null;
                        /** @description That device's name (or DHCP hostname) */
                        deviceName: string | null;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        /** Format: uuid */
                        id: string;
                        ip?: string;
                        mac?: string;
                        reason: string | null;
                        /** Format: uuid */
                        routerId: string;
                        /**
                         * @description pending: not on the router yet; applied: the router accepted it; removing: an unblock waits for the router; removed: the answer of an unblock that took it off
                         * @enum {string}
                         */
                        status: "pending" | "applied" | "removing" | "removed";
                        /**
                         * Format: date-time
                         * @description When a temporary block ends by itself; null: until unblocked
                         */
                        until: string | null;
                        /**
                         * Format: date-time
                         * @description The last time the router was seen enforcing this block (a block that succeeded, or a reconcile that listed it)
                         */
                        verifiedAt: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router's address now resolves to one routers may not have (ROUTER_HOST_NOT_ALLOWED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router or block */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router refused (auth, host key mismatch, command failed), or the executor disagreed with the controller */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Router or executor unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1RoutersIdCommands: {
        parameters: {
            query?: {
                cursor?: string;
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
            /** @description A page of commands */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            action: string;
                            /** @enum {string} */
                            actor: "user" | "system";
                            /** Format: date-time */
                            createdAt: string;
                            durationMs: number | null;
                            errorCode: string | null;
                            errorMessage: string | null;
                            /** Format: date-time */
                            finishedAt: string | null;
                            /** Format: uuid */
                            id: string;
                            params: Record<string, never>;
                            /** Format: uuid */
                            requestedBy: string | null;
                            requestId: string | null;
                            /** Format: date-time */
                            sentAt: string | null;
                            /** Format: uuid */
                            sessionId: string | null;
                            /** @enum {string} */
                            status: "pending" | "sent" | "succeeded" | "failed";
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1RoutersIdDevices: {
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
            /** @description Devices */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description Whether the router should block it now (a manual block, or a schedule with an open window) */
                            blocked: boolean;
                            /** @description What holds it blocked now */
                            blockedBy: ({
                                /** Format: uuid */
                                id: string;
                                /** @enum {string} */
                                type: "block";
                                /** Format: date-time */
                                until: string | null;
                            } | {
                                /** Format: uuid */
                                id: string;
                                label: string | null;
                                /** @enum {string} */
                                type: "schedule";
                            })[];
                            /** Format: date-time */
                            firstSeenAt: string;
                            hostname: string | null;
                            /**
                             * Format: uuid
                             * @description Stable: blocks and schedules may name the device by it
                             */
                            id: string;
                            interface: string | null;
                            ip: string | null;
                            /** Format: date-time */
                            lastSeenAt: string;
                            mac: string;
                            /** @description The owner's name for the device */
                            name: string | null;
                            /** @enum {string} */
                            source: "arp" | "dhcp" | "both";
                            vendor: string | null;
                        }[];
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1RoutersIdDevicesDeviceId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deviceId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description null forgets the name */
                    name: string | null;
                };
            };
        };
        responses: {
            /** @description The device */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether the router should block it now (a manual block, or a schedule with an open window) */
                        blocked: boolean;
                        /** @description What holds it blocked now */
                        blockedBy: ({
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            type: "block";
                            /** Format: date-time */
                            until: string | null;
                        } | {
                            /** Format: uuid */
                            id: string;
                            label: string | null;
                            /** @enum {string} */
                            type: "schedule";
                        })[];
                        /** Format: date-time */
                        firstSeenAt: string;
                        hostname: string | null;
                        /**
                         * Format: uuid
                         * @description Stable: blocks and schedules may name the device by it
                         */
                        id: string;
                        interface: string | null;
                        ip: string | null;
                        /** Format: date-time */
                        lastSeenAt: string;
                        mac: string;
                        /** @description The owner's name for the device */
                        name: string | null;
                        /** @enum {string} */
                        source: "arp" | "dhcp" | "both";
                        vendor: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router or device (DEVICE_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1RoutersIdEvents: {
        parameters: {
            query?: {
                cursor?: string;
                from?: string;
                level?: ("info" | "warn" | "error")[];
                limit?: number;
                to?: string;
                type?: string[];
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            data: Record<string, never> | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            level: "info" | "warn" | "error";
                            message: string;
                            /** Format: uuid */
                            routerId: string;
                            /** @description In listings */
                            routerName?: string;
                            /**
                             * @description Posted by the router itself, or observed by the controller
                             * @enum {string}
                             */
                            source: "router" | "controller";
                            type: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1RoutersIdEvents: {
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
                    /** @description Any JSON object of at most 4096 bytes */
                    data?: Record<string, never>;
                    /** @enum {string} */
                    level: "info" | "warn" | "error";
                    message: string;
                    /** @description Dotted and lower case, e.g. wan.down or dhcp.lease_pool_full */
                    type: string;
                };
            };
        };
        responses: {
            /** @description Recorded */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        data: Record<string, never> | null;
                        /** Format: uuid */
                        id: string;
                        /** @enum {string} */
                        level: "info" | "warn" | "error";
                        message: string;
                        /** Format: uuid */
                        routerId: string;
                        /** @description In listings */
                        routerName?: string;
                        /**
                         * @description Posted by the router itself, or observed by the controller
                         * @enum {string}
                         */
                        source: "router" | "controller";
                        type: string;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many events from this router in the last minute (EVENTS_RATE_LIMITED) */
            429: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1RoutersIdHeartbeat: {
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
                    bootId?: string;
                    /** Format: float */
                    uptimeSeconds?: number;
                };
            };
        };
        responses: {
            /** @description Recorded; rebooted says whether this heartbeat showed a reboot */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        lastSeenAt: string;
                        rebooted: boolean;
                        /** @enum {string} */
                        status: "online";
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests from this address, or too many at once; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1RoutersIdInfo: {
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
            /** @description Router health */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        commandId: string;
                        firmware: string | null;
                        hostname: string;
                        kernel: string | null;
                        load: number[];
                        memory: {
                            /** Format: float */
                            availableBytes: number;
                            /** Format: float */
                            freeBytes: number;
                            /** Format: float */
                            totalBytes: number;
                        };
                        os: string;
                        /** Format: float */
                        uptimeSeconds: number;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router's address now resolves to one routers may not have (ROUTER_HOST_NOT_ALLOWED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router refused (auth, host key mismatch, command failed), or the executor disagreed with the controller */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Router or executor unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1RoutersIdNetwork: {
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
                    hostname?: string;
                    lanAddress?: string;
                    /** @description The reverse-tunnel port now (routers reached through a tunnel only; within ROUTER_TUNNEL_PORTS) */
                    tunnelPort?: number;
                    /** @description The WAN address now; the router's SSH address follows it when the router is reached at its last reported WAN address */
                    wanAddress?: string;
                };
            };
        };
        responses: {
            /** @description Recorded; what the controller uses now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description What this report changed */
                        changed: string[];
                        /** @description The address the executor reaches the router at now */
                        host: string;
                        networkInfo: Record<string, never>;
                        port: number;
                        tunnelPort: number | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A tunnel port from a router not reached through a tunnel (ROUTER_NOT_TUNNELED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests from this address, or too many at once; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1RoutersIdProvisionKey: {
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
            /** @description The key, shown once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expiresAt: string;
                        provisionKey: string;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1RoutersIdScan: {
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
            /** @description Devices seen */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        commandId: string;
                        devices: {
                            hostname: string | null;
                            interface: string | null;
                            ip: string | null;
                            mac: string;
                            /** @enum {string} */
                            source: "arp" | "dhcp" | "both";
                            vendor: string | null;
                        }[];
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router's address now resolves to one routers may not have (ROUTER_HOST_NOT_ALLOWED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router refused (auth, host key mismatch, command failed), or the executor disagreed with the controller */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Router or executor unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1RoutersIdSchedules: {
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
            /** @description Schedules */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description Whether a window is open now (the device is blocked by this schedule) */
                            active: boolean;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            createdBy: string | null;
                            /**
                             * Format: uuid
                             * @description The device this address belongs to, when the inventory knows it
                             */
                            deviceId: string | null;
                            /** @description That device's name (or DHCP hostname) */
                            deviceName: string | null;
                            enabled: boolean;
                            /** Format: uuid */
                            id: string;
                            ip?: string;
                            label: string | null;
                            mac?: string;
                            /**
                             * Format: date-time
                             * @description When the open window closes, or the next one opens; null when paused or never
                             */
                            nextChangeAt: string | null;
                            /** Format: uuid */
                            routerId: string;
                            /** @description The router's time zone, in which the windows are read */
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                            windows: {
                                days: ("sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat")[];
                                end: string;
                                start: string;
                            }[];
                        }[];
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1RoutersIdSchedules: {
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
                    /**
                     * Format: uuid
                     * @description A device of the inventory: blocked by its MAC
                     */
                    deviceId?: string;
                    /**
                     * @description false: paused, blocks nothing
                     * @default true
                     */
                    enabled?: boolean;
                    ip?: string;
                    /** @description A name for it, e.g. Bedtime */
                    label?: string;
                    mac?: string;
                    windows: {
                        /** @description The days the window starts on */
                        days: ("sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat")[];
                        /** @description Local time HH:MM (24:00 is midnight at the end of the day); at or before start means the next day */
                        end: string;
                        /** @description Local time HH:MM */
                        start: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether a window is open now (the device is blocked by this schedule) */
                        active: boolean;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        createdBy: string | null;
                        /**
                         * Format: uuid
                         * @description The device this address belongs to, when the inventory knows it
                         */
                        deviceId: string | null;
                        /** @description That device's name (or DHCP hostname) */
                        deviceName: string | null;
                        enabled: boolean;
                        /** Format: uuid */
                        id: string;
                        ip?: string;
                        label: string | null;
                        mac?: string;
                        /**
                         * Format: date-time
                         * @description When the open window closes, or the next one opens; null when paused or never
                         */
                        nextChangeAt: string | null;
                        /** Format: uuid */
                        routerId: string;
                        /** @description The router's time zone, in which the windows are read */
                        timeZone: string;
                        /** Format: date-time */
                        updatedAt: string;
                        windows: {
                            days: ("sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat")[];
                            end: string;
                            start: string;
                        }[];
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router or device (DEVICE_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router has as many schedules as it may (SCHEDULE_LIMIT) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1RoutersIdSchedulesScheduleId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                scheduleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schedule */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether a window is open now (the device is blocked by this schedule) */
                        active: boolean;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        createdBy: string | null;
                        /**
                         * Format: uuid
                         * @description The device this address belongs to, when the inventory knows it
                         */
                        deviceId: string | null;
                        /** @description That device's name (or DHCP hostname) */
                        deviceName: string | null;
                        enabled: boolean;
                        /** Format: uuid */
                        id: string;
                        ip?: string;
                        label: string | null;
                        mac?: string;
                        /**
                         * Format: date-time
                         * @description When the open window closes, or the next one opens; null when paused or never
                         */
                        nextChangeAt: string | null;
                        /** Format: uuid */
                        routerId: string;
                        /** @description The router's time zone, in which the windows are read */
                        timeZone: string;
                        /** Format: date-time */
                        updatedAt: string;
                        windows: {
                            days: ("sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat")[];
                            end: string;
                            start: string;
                        }[];
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router or schedule (SCHEDULE_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1RoutersIdSchedulesScheduleId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                scheduleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router or schedule (SCHEDULE_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1RoutersIdSchedulesScheduleId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                scheduleId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: uuid
                     * @description A device of the inventory: blocked by its MAC
                     */
                    deviceId?: string;
                    enabled?: boolean;
                    ip?: string;
                    label?: string | null;
                    mac?: string;
                    windows?: {
                        /** @description The days the window starts on */
                        days: ("sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat")[];
                        /** @description Local time HH:MM (24:00 is midnight at the end of the day); at or before start means the next day */
                        end: string;
                        /** @description Local time HH:MM */
                        start: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description The schedule */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether a window is open now (the device is blocked by this schedule) */
                        active: boolean;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: uuid */
                        createdBy: string | null;
                        /**
                         * Format: uuid
                         * @description The device this address belongs to, when the inventory knows it
                         */
                        deviceId: string | null;
                        /** @description That device's name (or DHCP hostname) */
                        deviceName: string | null;
                        enabled: boolean;
                        /** Format: uuid */
                        id: string;
                        ip?: string;
                        label: string | null;
                        mac?: string;
                        /**
                         * Format: date-time
                         * @description When the open window closes, or the next one opens; null when paused or never
                         */
                        nextChangeAt: string | null;
                        /** Format: uuid */
                        routerId: string;
                        /** @description The router's time zone, in which the windows are read */
                        timeZone: string;
                        /** Format: date-time */
                        updatedAt: string;
                        windows: {
                            days: ("sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat")[];
                            end: string;
                            start: string;
                        }[];
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router or schedule (SCHEDULE_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1RoutersIdStatus: {
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
            /** @description Status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: date-time */
                        lastSeenAt: string | null;
                        offlineAfterMs: number;
                        /** Format: date-time */
                        registeredAt: string | null;
                        /** @enum {string} */
                        status: "unknown" | "online" | "offline";
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1RoutersIdSync: {
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
            /** @description In sync */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        applied: string[];
                        blocks: {
                            /** Format: date-time */
                            appliedAt: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: uuid */
                            createdBy: string | null;
                            /**
                             * Format: uuid
                             * @description The device this address belongs to, when the inventory knows it
                             */
                            deviceId: string | null;
                            /** @description That device's name (or DHCP hostname) */
                            deviceName: string | null;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            /** Format: uuid */
                            id: string;
                            ip?: string;
                            mac?: string;
                            reason: string | null;
                            /** Format: uuid */
                            routerId: string;
                            /**
                             * @description pending: not on the router yet; applied: the router accepted it; removing: an unblock waits for the router; removed: the answer of an unblock that took it off
                             * @enum {string}
                             */
                            status: "pending" | "applied" | "removing" | "removed";
                            /**
                             * Format: date-time
                             * @description When a temporary block ends by itself; null: until unblocked
                             */
                            until: string | null;
                            /**
                             * Format: date-time
                             * @description The last time the router was seen enforcing this block (a block that succeeded, or a reconcile that listed it)
                             */
                            verifiedAt: string | null;
                        }[];
                        removed: string[];
                        unchanged: string[];
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router's address now resolves to one routers may not have (ROUTER_HOST_NOT_ALLOWED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Another reconcile of this router did not finish in time (RECONCILE_BUSY) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router refused (auth, host key mismatch, command failed), or the executor disagreed with the controller */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Router or executor unreachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router did not answer in time */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1RoutersIdTokenRotate: {
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
            /** @description The new token */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description Until then the previous token still works
                         */
                        previousTokenExpiresAt: string;
                        /** @description The new router token, shown once */
                        routerToken: string;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Assigned users cannot rotate it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such router, or not yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The router never registered (ROUTER_NOT_REGISTERED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1RoutersRegister: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    extra?: {
                        [key: string]: string | number | boolean;
                    };
                    firmware?: string;
                    hostname?: string;
                    lanAddress?: string;
                    mac?: string;
                    os?: string;
                    provisionKey: string;
                    wanAddress?: string;
                };
            };
        };
        responses: {
            /** @description Registered; the token is shown once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        routerId: string;
                        routerToken: string;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Invalid, expired or spent key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests from this address, or too many at once; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1Sessions: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                userId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sessions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            current?: boolean;
                            /** Format: date-time */
                            expiresAt: string;
                            /** Format: uuid */
                            id: string;
                            ip: string | null;
                            /** Format: date-time */
                            lastUsedAt: string;
                            userAgent: string | null;
                            /** Format: uuid */
                            userId: string;
                            username?: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1SessionsId: {
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
            /** @description Ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such session */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1Stream: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An endless text/event-stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1Users: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            role: "admin" | "user";
                            totpEnabled: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiV1Users: {
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
                    email?: string | null;
                    password: string;
                    /**
                     * @default user
                     * @enum {string}
                     */
                    role?: "admin" | "user";
                    username: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** User */
                        user: {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            role: "admin" | "user";
                            totpEnabled: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        };
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Username taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiV1UsersId: {
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
            /** @description The user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** User */
                        user: {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            role: "admin" | "user";
                            totpEnabled: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        };
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteApiV1UsersId: {
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
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Would leave no active admin (LAST_ADMIN), or the user owns routers others are assigned to (USER_OWNS_SHARED_ROUTERS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchApiV1UsersId: {
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
                    disabled?: boolean;
                    /** Format: email */
                    email?: string | null;
                    password?: string;
                    resetTwoFactor?: boolean;
                    /** @enum {string} */
                    role?: "admin" | "user";
                };
            };
        };
        responses: {
            /** @description The user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** User */
                        user: {
                            /** Format: date-time */
                            createdAt: string;
                            disabled: boolean;
                            email: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            role: "admin" | "user";
                            totpEnabled: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            username: string;
                        };
                    };
                };
            };
            /** @description Invalid input */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such user */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Would leave no active admin */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Request body too large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Internal error */
            500: {
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
