// Staff-account DTOs and writes shared by two features: libs/staff (sign-in, /staff-accounts) and
// libs/merchants (a merchant's admin login at enrolment, its cashiers). Features do not import each other,
// so this sits one layer below both, as its own project.
export * from './staff-accounts';
