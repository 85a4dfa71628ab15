import { StaffSignIn } from '@quan/web-core';

/** The staff member's session and account (localStorage under the console's own keys) and the api client. */
export const staff = new StaffSignIn('console');
export const api = staff.api;
