import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { FavoritesController } from './favorites.controller';

/** Favorites live in the articles' tables (ArticlesRepository); this module is their routes. */
@Module({
  imports: [ArticlesModule],
  controllers: [FavoritesController],
})
export class FavoritesModule {}
