import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';

const RENDER_BEARER = 'vpQxkQB5Q1tfr6PT_wSYkFpsUSPtzWlrMI0Z0T2GOgt';

@Injectable()
export class RenderService {
  constructor(private readonly http: HttpService) {}

  async productCard(name: string): Promise<string> {
    const { data } = await firstValueFrom(
      this.http.post(
        'https://api.pictify.io/templates/product/render',
        { variables: { name } },
        { headers: { Authorization: `Bearer ${RENDER_BEARER}` } },
      ),
    );
    return data.results[0].url;
  }
}
