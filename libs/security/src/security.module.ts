import { dirname } from 'node:path';
import { Inject, Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { DEVELOPMENT_SECRET_FILE } from './development-secret.store';
import { JwtVerifier, TOKEN_VERIFIER } from './jwt-verifier';
import { RolesGuard } from './roles.guard';
import type { SecurityConfig } from './security.config';

/** DI token of the {@link SecurityConfig} the module was built with. */
export const SECURITY_CONFIG = Symbol('SECURITY_CONFIG');

/**
 * Bearer JWT authentication for every HTTP route: provides `TOKEN_VERIFIER` and
 * `SECURITY_CONFIG` globally and registers {@link AuthGuard} then {@link RolesGuard} as
 * `APP_GUARD`s (in that order: Nest runs global guards in registration order).
 */
@Module({})
export class SecurityModule implements OnModuleInit {
  private readonly logger = new Logger(SecurityModule.name);

  constructor(@Inject(SECURITY_CONFIG) private readonly config: SecurityConfig) {}

  static forRoot(config: SecurityConfig): DynamicModule {
    return {
      module: SecurityModule,
      global: true,
      providers: [
        { provide: SECURITY_CONFIG, useValue: config },
        { provide: TOKEN_VERIFIER, useFactory: () => new JwtVerifier(config) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      exports: [SECURITY_CONFIG, TOKEN_VERIFIER],
    };
  }

  onModuleInit(): void {
    // Said once at boot so nobody mistakes a laptop set-up for a deployment.
    const { key } = this.config;
    if (key.kind === 'secret' && key.source === 'development-file') {
      // `npm run token` must read the same file: name the data directory unless it is the default.
      const dataDir = dirname(key.file ?? DEVELOPMENT_SECRET_FILE);
      const prefix = dataDir === 'data' || dataDir === './data' ? '' : `HARBOUR_DATA_DIR=${dataDir} `;
      this.logger.warn(
        `Verifying tokens with the development secret in ${key.file}; mint one with ` +
          `${prefix}npm run -s token -- --role <role> --region <region>`,
      );
    } else if (key.kind === 'secret' && key.source === 'ephemeral') {
      this.logger.warn('Verifying tokens with a secret that lives only in this process');
    }
  }
}
