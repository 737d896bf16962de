import { Injectable } from '@angular/core';
import { HttpClient, HttpHeaders } from '@angular/common/http';

const POSTER_ENDPOINT = 'https://api.pictify.io/image';
const POSTER_TOKEN = 'a04c960fa389cb58da5c07cfcf0d5608da68f7c3d6d5ad2483b88a2a26f58384';

@Injectable({ providedIn: 'root' })
export class PosterService {
  constructor(private http: HttpClient) {}

  render(html: string) {
    const headers = new HttpHeaders({ Authorization: `Bearer ${POSTER_TOKEN}` });
    return this.http.post<{ url: string }>(POSTER_ENDPOINT, { html }, { headers });
  }
}
