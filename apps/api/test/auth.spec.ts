import { Controller, Get, Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JwtService } from '@nestjs/jwt';
import { Access, CurrentPrincipal, Principal, TokenService } from '@quan/auth';
import { StaffRole, SubjectKind } from '@quan/data';
import { createTestApp, createTestEnvironment, TestEnvironment } from '@quan/testing';
import { AppModule } from '../src/app.module';

@Controller('test-auth')
class ProbeController {
  @Get('cashiers')
  @Access(StaffRole.Cashier, StaffRole.MerchantAdmin)
  cashiers(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('residents')
  @Access(SubjectKind.Resident)
  residents(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('undeclared')
  undeclared(): string {
    return 'should never be reached';
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const resident: Principal = {
  kind: SubjectKind.Resident,
  id: '3f1c2a9e-6f43-4c5e-9a71-2b8d5f0e4c11',
  identityId: null,
};
const cashier: Principal = {
  kind: SubjectKind.Staff,
  id: '0b7e6d4c-2a19-4f8b-8c3d-5e6f7a8b9c0d',
  role: StaffRole.Cashier,
  countyCode: null,
  merchantId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
};

describe('authentication and the deny-by-default guard', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let tokens: TokenService;

  beforeAll(async () => {
    env = await createTestEnvironment();
    app = await createTestApp(
      { module: class AuthRoot {}, imports: [AppModule.register(env.config), ProbeModule] },
      env.config,
    );
    tokens = app.get(TokenService);
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
  });

  const get = (url: string, token?: string) =>
    app.inject({ url: `/api/v1/test-auth/${url}`, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('lets a token of a listed audience through, with its principal', async () => {
    const { accessToken, expiresIn } = await tokens.issue(cashier);
    expect(expiresIn).toBe(env.config.ACCESS_TOKEN_TTL_S);
    const response = await get('cashiers', accessToken);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(cashier);
    expect((await get('residents', (await tokens.issue(resident)).accessToken)).json()).toEqual(resident);
  });

  it('refuses a token it has verified before once the token expires', async () => {
    const token = app.get(JwtService).sign({ sub: cashier.id, knd: 'staff', rol: 'cashier' }, { expiresIn: 60 });
    expect((await get('cashiers', token)).statusCode).toBe(200);
    expect((await get('cashiers', token)).statusCode).toBe(200);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    try {
      const late = await get('cashiers', token);
      expect(late.statusCode).toBe(401);
      expect(late.json().code).toBe('UNAUTHENTICATED');
    } finally {
      clock.mockRestore();
    }
  });

  it('answers 401 UNAUTHENTICATED without a token or with a bad, forged or expired one', async () => {
    expect((await get('cashiers')).json().code).toBe('UNAUTHENTICATED');
    expect((await get('cashiers', 'not-a-jwt')).statusCode).toBe(401);
    const forged = new JwtService({ secret: 'another-secret-of-at-least-32-characters' }).sign({
      sub: cashier.id,
      knd: 'staff',
      rol: 'city_admin',
    });
    expect((await get('cashiers', forged)).statusCode).toBe(401);
    const expired = app.get(JwtService).sign({ sub: cashier.id, knd: 'staff', rol: 'cashier' }, { expiresIn: -10 });
    expect((await get('cashiers', expired)).statusCode).toBe(401);
  });

  it('answers 403 FORBIDDEN to another audience, and to everyone on an endpoint that declares none', async () => {
    const residentToken = (await tokens.issue(resident)).accessToken;
    const forbidden = await get('cashiers', residentToken);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('FORBIDDEN');
    expect((await get('undeclared', (await tokens.issue(cashier)).accessToken)).statusCode).toBe(403);
  });

  it('rotates refresh tokens: each works once, a revoked one never', async () => {
    const rotate = (refreshToken: string, kind: SubjectKind, principal: Principal) =>
      tokens.rotate(
        refreshToken,
        kind,
        async (subjectId) => ({ ...principal, id: subjectId }),
        (subject) => subject,
      );
    const first = await tokens.issue(resident);
    const [next, subject] = await rotate(first.refreshToken, SubjectKind.Resident, resident);
    expect(subject).toEqual(resident);
    expect(next.refreshToken).not.toBe(first.refreshToken);
    await expect(rotate(first.refreshToken, SubjectKind.Resident, resident)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });

    const second = await tokens.issue(cashier);
    await expect(rotate(second.refreshToken, SubjectKind.Resident, resident)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await tokens.revoke(second.refreshToken);
    await expect(rotate(second.refreshToken, SubjectKind.Staff, cashier)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});
